package io.spikeflux.engine.onnx;

/**
 * A pending {@code x * scale + shift} per channel of the network input (in-graph normalisation
 * such as {@code (x - mean) / std}), folded into the first layer that reads it.
 */
record ChannelAffine(float[] scale, float[] shift, String operators) {

    static ChannelAffine identity(int channels) {
        float[] one = new float[channels];
        java.util.Arrays.fill(one, 1f);
        return new ChannelAffine(one, new float[channels], "");
    }

    int channels() {
        return scale.length;
    }

    /** This map followed by {@code y * s + b}, computed by ONNX operator {@code op}. */
    ChannelAffine then(float[] s, float[] b, String op) {
        float[] scale2 = new float[scale.length];
        float[] shift2 = new float[scale.length];
        for (int c = 0; c < scale.length; c++) {
            scale2[c] = scale[c] * s[c];
            shift2[c] = shift[c] * s[c] + b[c];
        }
        return new ChannelAffine(scale2, shift2, operators + op + "+");
    }

    /** The same map on a flattened channel-last tensor: element {@code i} has channel {@code i % C}. */
    ChannelAffine flattened(int size) {
        float[] s = new float[size];
        float[] b = new float[size];
        for (int i = 0; i < size; i++) {
            s[i] = scale[i % scale.length];
            b[i] = shift[i % scale.length];
        }
        return new ChannelAffine(s, b, operators);
    }
}
