package io.spikeflux.engine.graph;

import io.spikeflux.engine.kernel.Kernels;

/** Fully connected layer; weights laid out {@code [in][out]} so an input's fan-out is contiguous. */
public final class Dense implements LinearOperator {

    private static final Kernels KERNELS = Kernels.get();

    private final int inFeatures;
    private final int outFeatures;
    private final float[] weights;
    private final float[] bias;

    public Dense(int inFeatures, int outFeatures, float[] weights, float[] bias) {
        if (weights.length != inFeatures * outFeatures) {
            throw new IllegalArgumentException("dense weights have " + weights.length + " values, expected "
                    + inFeatures * outFeatures);
        }
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("dense bias has " + bias.length + " values, expected " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weights = weights;
        this.bias = bias;
    }

    @Override
    public void initOutput(float[] output) {
        if (bias == null) {
            java.util.Arrays.fill(output, 0, outFeatures, 0f);
        } else {
            System.arraycopy(bias, 0, output, 0, outFeatures);
        }
    }

    @Override
    public LinearKernel newKernel() {
        return this::propagate;
    }

    private long propagate(float[] input, int[] active, int count, float[] output) {
        int n = outFeatures;
        for (int k = 0; k < count; k++) {
            int i = active[k];
            KERNELS.addScaled(input[i], weights, i * n, output, 0, n);
        }
        return (long) count * n;
    }

    /**
     * Folds a per-output-channel affine map {@code y * scale + shift} into the weights and bias:
     * how BatchNormalization and bias additions after this layer become part of it.
     */
    public Dense withAffineOutput(float[] scale, float[] shift) {
        int channels = outFeatures;
        float[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale[i % channels];
        }
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            b[c] = (bias == null ? 0f : bias[c]) * scale[c] + shift[c];
        }
        return new Dense(inFeatures, outFeatures, w, b);
    }

    /**
     * Folds an affine map {@code x * scale + shift} of each input (in-graph input normalisation)
     * into the weights and bias, so the layer reads the raw input.
     */
    public Dense withInputAffine(float[] scale, float[] shift) {
        float[] w = weights.clone();
        float[] b = bias == null ? new float[outFeatures] : bias.clone();
        for (int i = 0; i < inFeatures; i++) {
            for (int o = 0; o < outFeatures; o++) {
                b[o] += weights[i * outFeatures + o] * shift[i];
                w[i * outFeatures + o] *= scale[i];
            }
        }
        return new Dense(inFeatures, outFeatures, w, b);
    }

    @Override
    public boolean hasBias() {
        return bias != null;
    }

    @Override
    public Dense withBiasScaled(float factor) {
        if (bias == null) {
            return this;
        }
        float[] scaled = bias.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= factor;
        }
        return new Dense(inFeatures, outFeatures, weights, scaled);
    }

    @Override
    public TensorShape inputShape() {
        return TensorShape.flat(inFeatures);
    }

    @Override
    public TensorShape outputShape() {
        return TensorShape.flat(outFeatures);
    }

    @Override
    public String describe() {
        return "Dense" + (bias != null ? " +bias" : "");
    }

    @Override
    public long parameters() {
        return weights.length + (bias == null ? 0 : bias.length);
    }

    @Override
    public long macs() {
        return (long) inFeatures * outFeatures;
    }
}
