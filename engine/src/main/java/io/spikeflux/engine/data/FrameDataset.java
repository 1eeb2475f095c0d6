package io.spikeflux.engine.data;

import io.spikeflux.engine.encode.InputCoding;
import io.spikeflux.engine.encode.SpikeStep;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Images (Fashion-MNIST, MNIST IDX files), entering the SNN by an {@link InputCoding} (Poisson by default). */
public final class FrameDataset implements Dataset {

    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private final String description;
    private final float[][] images;
    private final int[] labels;
    private final InputCoding coding;

    private FrameDataset(String description, float[][] images, int[] labels) {
        this(description, images, labels, InputCoding.POISSON);
    }

    private FrameDataset(String description, float[][] images, int[] labels, InputCoding coding) {
        this.description = description;
        this.images = images;
        this.labels = labels;
        this.coding = coding;
    }

    /** The same images entering the SNN by {@code coding}. */
    public FrameDataset withCoding(InputCoding coding) {
        return new FrameDataset(description, images, labels, coding);
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

    /**
     * Image files (PNG, JPEG, anything ImageIO reads) below {@code dir}, in name order: each turned
     * to gray levels in [0, 1] and resized to {@code width x height} (area averaging). An image in a
     * directory named by a number has that label (the {@code <label>/<file>} layout); others -1.
     */
    public static FrameDataset loadImages(Path dir, int width, int height, int limit) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.(png|jpe?g|gif|bmp)"))
                    .sorted().limit(limit).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list images: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new UncheckedIOException(new IOException(dir + ": no PNG, JPEG, GIF or BMP images"));
        }
        float[][] x = new float[files.size()][];
        int[] y = new int[files.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = grayResized(files.get(i), width, height);
            String parent = files.get(i).getParent() == null ? "" : files.get(i).getParent().getFileName().toString();
            y[i] = parent.matches("\\d{1,4}") ? Integer.parseInt(parent) : -1;
        }
        return new FrameDataset(dir + " (" + x.length + " images, resized to " + width + "x" + height + ")", x, y);
    }

    private static float[] grayResized(Path file, int width, int height) {
        java.awt.image.BufferedImage src;
        try {
            src = javax.imageio.ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the image: " + e.getMessage(), e);
        }
        if (src == null) {
            throw new UncheckedIOException(new IOException(file + ": not an image ImageIO can read"));
        }
        java.awt.Image scaled = src.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING);
        java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = gray.createGraphics();
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        float[] out = new float[width * height];
        java.awt.image.Raster r = gray.getRaster();
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                out[yy * width + xx] = r.getSample(xx, yy, 0) / 255f;
            }
        }
        return out;
    }

    /** An IDX directory's test split, or else the image files below {@code dir}. */
    public static FrameDataset loadTestImages(Path dir, int width, int height, int limit) {
        boolean idx = Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))
                || Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte"));
        return idx ? loadIdx(dir, "t10k", limit) : loadImages(dir, width, height, limit);
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
                return coding.encode(image, timesteps, seed);
            }
        };
    }
}
