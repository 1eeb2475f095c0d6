package io.spikeflux.engine;

import io.spikeflux.engine.data.EventDataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.onnx.OnnxImporter;

import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled models and datasets, located from the engine module directory. */
public final class TestModels {

    public static final Path MODELS = Path.of("..", "models");
    public static final Path NMNIST_EMU = Path.of("..", "data", "nmnist-emu");

    private TestModels() {
    }

    public static Path path(String name) {
        Path p = MODELS.resolve(name + ".onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("bundled model missing: " + p.toAbsolutePath());
        }
        return p;
    }

    public static Network load(String name) {
        return OnnxImporter.importFile(path(name));
    }

    public static FrameDataset fashionTest(int limit) {
        return FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "t10k", limit);
    }

    public static EventDataset nmnistEmu() {
        return EventDataset.load(NMNIST_EMU, 34, 34, 1000, 300);
    }

    /** NCHW (ONNX) to channel-last (SpikeFlux) for one sample. */
    public static float[] toChannelLast(float[] nchw, int c, int h, int w) {
        float[] out = new float[nchw.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(y * w + x) * c + ch] = nchw[(ch * h + y) * w + x];
                }
            }
        }
        return out;
    }
}
