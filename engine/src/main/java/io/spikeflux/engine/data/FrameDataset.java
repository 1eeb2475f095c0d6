package io.spikeflux.engine.data;

import io.spikeflux.engine.encode.PoissonEncoder;
import io.spikeflux.engine.encode.SpikeStep;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Images (Fashion-MNIST, MNIST IDX files) rate-coded by the Poisson encoder in the SNN. */
public final class FrameDataset implements Dataset {

    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private final String description;
    private final float[][] images;
    private final int[] labels;

    private FrameDataset(String description, float[][] images, int[] labels) {
        this.description = description;
        this.images = images;
        this.labels = labels;
    }

    /**
     * Loads an IDX directory: {@code t10k-images-idx3-ubyte[.gz]} and labels (split "t10k"), or
     * {@code train-...} (split "train").
     */
    public static FrameDataset loadIdx(Path dir, String split, int limit) {
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labels = find(dir, split + "-labels-idx1-ubyte");
        try {
            float[][] x = IdxImages.readImages(images, limit);
            int[] y = IdxImages.readLabels(labels, limit);
            if (x.length != y.length) {
                throw new IOException(dir + ": " + x.length + " images but " + y.length + " labels");
            }
            return new FrameDataset(dir + " (" + split + ", " + x.length + " images)", x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[]{base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UncheckedIOException(new IOException(dir + ": no " + base + "[.gz]; expected an IDX dataset "
                + "directory such as " + DEFAULT_FASHION_MNIST + " (Debian package dataset-fashion-mnist)"));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public Sample get(int index) {
        float[] image = images[index];
        int label = labels[index];
        return new Sample() {
            @Override
            public int label() {
                return label;
            }

            @Override
            public float[] annInput() {
                return image;
            }

            @Override
            public Flux<SpikeStep> steps(int timesteps, long seed) {
                return PoissonEncoder.encode(image, timesteps, seed);
            }
        };
    }
}
