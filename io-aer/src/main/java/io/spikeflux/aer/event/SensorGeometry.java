package io.spikeflux.aer.event;

/**
 * Pixel array size of a sensor; events must satisfy {@code 0 <= x < width, 0 <= y < height}. At most
 * {@link #MAX_SIDE} pixels a side: the largest event sensors are 1280x960, and per-pixel state
 * (noise filters, frames) must not let a hostile header or datagram ask for gigabytes.
 */
public record SensorGeometry(int width, int height) {

    public static final int MAX_SIDE = 4096;

    public SensorGeometry {
        if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("sensor geometry must be 1x1 to " + MAX_SIDE + "x" + MAX_SIDE + ": "
                    + width + "x" + height);
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
