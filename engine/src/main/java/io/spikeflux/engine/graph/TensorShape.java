package io.spikeflux.engine.graph;

/**
 * Shape of one sample's activation tensor, stored channel-last: element (y, x, c) lives at
 * {@code (y * width + x) * channels + c}. Flat vectors are {@code 1 x 1 x features}.
 */
public record TensorShape(int height, int width, int channels) {

    /**
     * Values of one sample's tensor at most: 16.7 M (an HD map with 16 channels). Per-value and
     * per-pixel state is allocated from shapes, so a model that declares more is refused at import
     * instead of exhausting memory.
     */
    public static final long MAX_VALUES = 1L << 24;

    public TensorShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("shape dimensions must be positive: " + height + "x" + width + "x" + channels);
        }
        long values = (long) height * width * channels;
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException("a tensor of " + channels + "x" + height + "x" + width + " = " + values
                    + " values per sample is larger than the " + MAX_VALUES + " SpikeFlux supports");
        }
    }

    public static TensorShape flat(int features) {
        return new TensorShape(1, 1, features);
    }

    public int size() {
        return height * width * channels;
    }

    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    /** Renders in the NCHW order users know from ONNX and PyTorch. */
    @Override
    public String toString() {
        return isFlat() ? "[" + channels + "]" : "[" + channels + "," + height + "," + width + "]";
    }
}
