package io.spikeflux.aer.event;

/** Pixel array size of a sensor; events must satisfy {@code 0 <= x < width, 0 <= y < height}. */
public record SensorGeometry(int width, int height) {
    public SensorGeometry {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("sensor geometry must be positive: " + width + "x" + height);
        }
    }

    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
