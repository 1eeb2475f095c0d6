package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** The N-MNIST / N-Caltech101 40-bit binary: no header, recognised by its {@code .bin} name. */
final class NmnistFormat extends AbstractRecordingFormat {

    NmnistFormat() {
        super("nmnist", "N-MNIST binary", List.of("bin"), List.of(".bin"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        return fileName.endsWith(".bin");
    }

    @Override
    public Recording open(Path file) {
        return new Recording(file, this, NmnistFiles.NMNIST_GEOMETRY, 0, ByteOrder.BIG_ENDIAN, NmnistDecoder::new);
    }

    @Override
    public boolean narrowClock() {
        return true;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public RecordingWriter newWriter(Path file, SensorGeometry geometry) throws IOException {
        return new NmnistWriter(file, geometry);
    }
}
