package io.spikeflux.cli;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.camera.PoissonFrameCamera;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.graph.TensorShape;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/** The Poisson frame camera's options, shared by {@code camera} and {@code demo}. */
final class PoissonCameraOptions {

    @Option(names = "--poisson-images", paramLabel = "DIR",
            description = "A Poisson frame camera: rate-code the test images of an IDX dataset (e.g. "
                    + "/usr/share/datasets/fashion-mnist), or the PNG/JPEG files below a directory (<label>/ "
                    + "subdirectories give labels), and send every pixel that spikes in a step as an event (ON "
                    + "positive, OFF negative); image i is seeded seed + i, as in evaluate.")
    Path images;

    @Option(names = "--steps-per-image", defaultValue = "64", paramLabel = "T",
            description = "Poisson camera: time steps each image is shown for (default ${DEFAULT-VALUE}).")
    int stepsPerImage;

    @Option(names = "--poisson-seed", defaultValue = "7",
            description = "Poisson camera: image i draws from seed + i, like evaluate --eval-seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    boolean enabled() {
        return images != null;
    }

    /** The camera over the first {@code count} images, shown as {@code shape} with steps of {@code dtUs}. */
    PoissonFrameCamera camera(TensorShape shape, long dtUs, long gapUs, int count) {
        if (stepsPerImage <= 0 || dtUs <= 0) {
            throw new ParameterException(command.commandLine(), "--steps-per-image and the step length must be positive");
        }
        FrameDataset frames = FrameDataset.loadTestImages(images, shape.width(), shape.height(), count);
        return new PoissonFrameCamera(frames, shape, stepsPerImage, dtUs, gapUs, seed);
    }

    static TensorShape frame(SensorGeometry size) {
        return new TensorShape(size.height(), size.width(), 1);
    }
}
