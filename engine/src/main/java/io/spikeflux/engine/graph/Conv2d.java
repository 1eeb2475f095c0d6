package io.spikeflux.engine.graph;

import io.spikeflux.engine.kernel.Kernels;

/**
 * 2-D convolution (group 1, dilation 1). Weights are laid out {@code [kH][kW][Cin][Cout]} so that
 * one input element's contribution to one output pixel is a contiguous run of {@code Cout} floats.
 */
public final class Conv2d implements LinearOperator {

    private static final Kernels KERNELS = Kernels.get();

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
    /** The weights as {@code [Cin][kH][kW reversed][Cout]}: one input's slabs for one kernel row, adjacent. */
    private final float[] scatterWeights;
    private final KernelTaps rows;
    private final KernelTaps cols;

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
        int cout = out.channels();
        this.scatterWeights = scatterLayout(weights, kernelH, kernelW, in.channels(), cout);
        this.rows = KernelTaps.rows(in.height(), out.height(), kernelH, strideH, padTop, kernelW * cout,
                out.width() * cout);
        this.cols = KernelTaps.columns(in.width(), out.width(), kernelW, strideW, padLeft, cout);
    }

    private static float[] scatterLayout(float[] w, int kh, int kw, int cin, int cout) {
        float[] t = new float[w.length];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int ci = 0; ci < cin; ci++) {
                    System.arraycopy(w, ((ky * kw + kx) * cin + ci) * cout, t,
                            ((ci * kh + ky) * kw + (kw - 1 - kx)) * cout, cout);
                }
            }
        }
        return t;
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
    public LinearKernel newKernel() {
        return this::propagate;
    }

    /**
     * Event-driven scatter: each active input adds its weights to every output its kernel reaches.
     * With horizontal stride 1 the outputs one kernel row reaches are adjacent pixels, and the
     * weights are stored so that their slabs are adjacent too, so one input costs one run of
     * {@code kW * Cout} floats per kernel row instead of {@code kW} runs of {@code Cout}.
     */
    private long propagate(float[] input, int[] active, int count, float[] output) {
        int cin = in.channels();
        int width = in.width();
        int channelStride = kernelH * kernelW * out.channels();
        float[] w = scatterWeights;
        long ops = 0;
        for (int k = 0; k < count; k++) {
            int i = active[k];
            float value = input[i];
            int pixel = i / cin;
            int y = pixel / width;
            int x = pixel - y * width;
            int channelOffset = (i - pixel * cin) * channelStride;
            int segFrom = cols.from(x);
            int segTo = cols.from(x + 1);
            // Two active channels of one pixel reach the same outputs: add both in one pass over
            // them (ascending indices keep a pixel's channels adjacent in the list).
            boolean pair = k + 1 < count && active[k + 1] / cin == pixel;
            int i2 = pair ? active[k + 1] : 0;
            float value2 = pair ? input[i2] : 0f;
            int channelOffset2 = (i2 - pixel * cin) * channelStride;
            for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
                int wRow = rows.weightOffset(r);
                int oRow = rows.outputOffset(r);
                for (int g = segFrom; g < segTo; g++) {
                    int length = cols.length(g);
                    int wSeg = wRow + cols.weightOffset(g);
                    if (pair) {
                        KERNELS.addScaled2(value, channelOffset + wSeg, value2, channelOffset2 + wSeg, w, output,
                                oRow + cols.outputOffset(g), length);
                    } else {
                        KERNELS.addScaled(value, w, channelOffset + wSeg, output, oRow + cols.outputOffset(g), length);
                    }
                    ops += pair ? 2L * length : length;
                }
            }
            if (pair) {
                k++;
            }
        }
        return ops;
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
