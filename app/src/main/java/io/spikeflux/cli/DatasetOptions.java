package io.spikeflux.cli;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.EventDataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.encode.InputCoding;
import io.spikeflux.engine.graph.Network;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where samples come from; shared by the commands that read datasets. */
final class DatasetOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST/MNIST IDX directory, or N-MNIST-style event directory (<label>/*.bin). "
                    + "Default: ${DEFAULT-VALUE} for frame models, the bundled data/nmnist-emu for event models", defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    Integer limit;

    @Option(names = "--ann-window-ms", paramLabel = "MS", defaultValue = "300",
            description = "Event models: the ANN saw event counts divided by this many 1 ms steps (default ${DEFAULT-VALUE}).")
    int annWindowMs;

    @picocli.CommandLine.Mixin
    SensorCliOptions sensor = new SensorCliOptions();

    @Option(names = {"--input-coding", "--input"}, paramLabel = "CODING",
            description = "Frame models: poisson (rate-coded spikes, the paper) or analog (each pixel a constant "
                    + "current every step: no input sampling noise, far fewer steps for deep or depthwise "
                    + "networks). Default: what a calibrated model was calibrated with, else poisson.")
    InputCoding inputCoding;

    /** The coding asked for, else {@code fallback}. */
    InputCoding coding(InputCoding fallback) {
        return inputCoding != null ? inputCoding : fallback;
    }

    /** The coding asked for, else Poisson. */
    InputCoding coding() {
        return coding(InputCoding.POISSON);
    }

    /** The coding of the calibrated model being evaluated, used when --input is not given. */
    InputCoding modelCoding = InputCoding.POISSON;

    /** The evaluation split: t10k for IDX directories. */
    /** The model the data is for, named in errors; set by the command. */
    java.nio.file.Path modelFile;

    Dataset load(Network network, int dtUs) {
        return load(network, dtUs, "t10k", limit == null ? Integer.MAX_VALUE : limit);
    }

    Dataset load(Network network, int dtUs, String idxSplit, int n) {
        if (network.isEventModel() && data.equals(FASHION_MNIST)) {
            // an event model cannot read images: its default data are the bundled recordings
            data = BundledFiles.resolve("data/nmnist-emu");
            System.err.printf("data: %s (the bundled N-MNIST-style recordings; --data picks others)%n", data);
        }
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException(data + ": no such dataset directory"
                    + (data.startsWith("/usr/share/datasets") ? " (install Debian's dataset-fashion-mnist)" : ""));
        }
        if (network.isEventModel()) {
            var s = network.inputShape();
            return EventDataset.load(data, s.width(), s.height(), s.channels(), dtUs, annWindowMs * 1000 / dtUs,
                    sensor.geometry(null), sensor.fit()).limit(n);
        }
        var in = network.inputShape();
        if (in.channels() != 1 || in.height() != 28 || in.width() != 28) {
            throw new IllegalArgumentException((modelFile != null ? modelFile + ": " : "") + "the model takes " + in
                    + " inputs, but " + data + " holds 28x28 gray images (IDX); give --data with images the model takes");
        }
        return FrameDataset.loadIdx(data, idxSplit, n).withCoding(coding(modelCoding));
    }
}
