package io.spikeflux.engine.graph;

import io.spikeflux.engine.kernel.Axpy;

/**
 * 2-D convolution (group 1, dilation 1). Weights are laid out {@code [kH][kW][Cin][Cout]} so that
 * one input element's contribution to one output pixel is a contiguous run of {@code Cout} floats.
 */
public final class Conv2d implements LinearOperator {

    private static final Axpy AXPY = Axpy.get();

    private final TensorShape in;
    private final TensorShape out;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    private final float[] weights;
    private final float[] bias;
    private final int[] fanOutByPixel;

    /**
     * @param weights {@code [kH][kW][Cin][Cout]} channel-last
     * @param bias    per output channel, or {@code null}
     */
    public Conv2d(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                  int padTop, int padLeft, float[] weights, float[] bias) {
        if (weights.length != kernelH * kernelW * in.channels() * out.channels()) {
            throw new IllegalArgumentException("conv weights have " + weights.length + " values, expected "
                    + kernelH * kernelW * in.channels() * out.channels());
        }
        if (bias != null && bias.length != out.channels()) {
            throw new IllegalArgumentException("conv bias has " + bias.length + " values, expected " + out.channels());
        }
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.weights = weights;
        this.bias = bias;
        this.fanOutByPixel = computeFanOut();
    }

    private int[] computeFanOut() {
        int[] fan = new int[in.height() * in.width()];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                int targets = 0;
                for (int ky = 0; ky < kernelH; ky++) {
                    int oy = outputRow(y, ky);
                    if (oy < 0) {
                        continue;
                    }
                    for (int kx = 0; kx < kernelW; kx++) {
                        if (outputCol(x, kx) >= 0) {
                            targets++;
                        }
                    }
                }
                fan[y * in.width() + x] = targets * out.channels();
            }
        }
        return fan;
    }

    /** Output row that input row {@code y} reaches through kernel row {@code ky}, or -1. */
    private int outputRow(int y, int ky) {
        int num = y + padTop - ky;
        if (num < 0 || num % strideH != 0) {
            return -1;
        }
        int oy = num / strideH;
        return oy < out.height() ? oy : -1;
    }

    private int outputCol(int x, int kx) {
        int num = x + padLeft - kx;
        if (num < 0 || num % strideW != 0) {
            return -1;
        }
        int ox = num / strideW;
        return ox < out.width() ? ox : -1;
    }

    @Override
    public void initOutput(float[] output) {
        int cout = out.channels();
        int pixels = out.height() * out.width();
        if (bias == null) {
            java.util.Arrays.fill(output, 0, pixels * cout, 0f);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            System.arraycopy(bias, 0, output, p * cout, cout);
        }
    }

    @Override
    public void scatter(int inputIndex, float value, float[] output) {
        int cin = in.channels();
        int cout = out.channels();
        int ci = inputIndex % cin;
        int pixel = inputIndex / cin;
        int y = pixel / in.width();
        int x = pixel % in.width();
        for (int ky = 0; ky < kernelH; ky++) {
            int oy = outputRow(y, ky);
            if (oy < 0) {
                continue;
            }
            for (int kx = 0; kx < kernelW; kx++) {
                int ox = outputCol(x, kx);
                if (ox < 0) {
                    continue;
                }
                int w = ((ky * kernelW + kx) * cin + ci) * cout;
                int o = (oy * out.width() + ox) * cout;
                if (value == 1f) {
                    AXPY.add(weights, w, output, o, cout);
                } else {
                    AXPY.addScaled(value, weights, w, output, o, cout);
                }
            }
        }
    }

    @Override
    public int fanOut(int inputIndex) {
        return fanOutByPixel[inputIndex / in.channels()];
    }

    /**
     * Folds a per-output-channel affine map {@code y * scale + shift} into the weights and bias:
     * how BatchNormalization and bias additions after this layer become part of it.
     */
    public Conv2d withAffineOutput(float[] scale, float[] shift) {
        int channels = out.channels();
        float[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale[i % channels];
        }
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            b[c] = (bias == null ? 0f : bias[c]) * scale[c] + shift[c];
        }
        return new Conv2d(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, w, b);
    }

    @Override
    public boolean hasBias() {
        return bias != null;
    }

    @Override
    public Conv2d withBiasScaled(float factor) {
        if (bias == null) {
            return this;
        }
        float[] scaled = bias.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= factor;
        }
        return new Conv2d(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, weights, scaled);
    }

    @Override
    public boolean isSynaptic() {
        return true;
    }

    @Override
    public TensorShape inputShape() {
        return in;
    }

    @Override
    public TensorShape outputShape() {
        return out;
    }

    @Override
    public String describe() {
        return "Conv " + kernelH + "x" + kernelW + "/" + strideH + (bias != null ? " +bias" : "");
    }

    @Override
    public long parameters() {
        return weights.length + (bias == null ? 0 : bias.length);
    }

    @Override
    public long macs() {
        return (long) out.size() * kernelH * kernelW * in.channels();
    }
}
