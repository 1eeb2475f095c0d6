package io.spikeflux.engine.graph;

/**
 * Average pooling (also GlobalAveragePool). Each output is the mean of its window; the divisor per
 * output pixel is precomputed, so {@code count_include_pad} of either kind costs nothing per step.
 * In the SNN it passes fractional currents on; no neurons follow it.
 */
public final class AveragePool implements LinearOperator {

    private final TensorShape in;
    private final TensorShape out;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    private final boolean global;
    private final float[] inverseDivisor;

    public AveragePool(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                       int padTop, int padLeft, boolean countIncludePad, boolean global) {
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.global = global;
        this.inverseDivisor = new float[out.height() * out.width()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                int count;
                if (countIncludePad) {
                    count = kernelH * kernelW;
                } else {
                    int y0 = Math.max(0, oy * strideH - padTop);
                    int y1 = Math.min(in.height(), oy * strideH - padTop + kernelH);
                    int x0 = Math.max(0, ox * strideW - padLeft);
                    int x1 = Math.min(in.width(), ox * strideW - padLeft + kernelW);
                    count = Math.max(1, (y1 - y0) * (x1 - x0));
                }
                inverseDivisor[oy * out.width() + ox] = 1f / count;
            }
        }
    }

    public static AveragePool global(TensorShape in) {
        return new AveragePool(in, TensorShape.flat(in.channels()), in.height(), in.width(),
                1, 1, 0, 0, true, true);
    }

    @Override
    public void initOutput(float[] output) {
        java.util.Arrays.fill(output, 0, out.size(), 0f);
    }

    @Override
    public void scatter(int inputIndex, float value, float[] output) {
        int c = inputIndex % in.channels();
        int pixel = inputIndex / in.channels();
        int y = pixel / in.width();
        int x = pixel % in.width();
        // Outputs oy whose window [oy*s - pad, oy*s - pad + k) holds y.
        int oyMin = Math.max(0, ceilDiv(y + padTop - kernelH + 1, strideH));
        int oyMax = Math.min(out.height() - 1, Math.floorDiv(y + padTop, strideH));
        int oxMin = Math.max(0, ceilDiv(x + padLeft - kernelW + 1, strideW));
        int oxMax = Math.min(out.width() - 1, Math.floorDiv(x + padLeft, strideW));
        int channels = out.channels();
        for (int oy = oyMin; oy <= oyMax; oy++) {
            for (int ox = oxMin; ox <= oxMax; ox++) {
                int p = oy * out.width() + ox;
                output[p * channels + c] += value * inverseDivisor[p];
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public int fanOut(int inputIndex) {
        return 1;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public AveragePool withBiasScaled(float factor) {
        return this;
    }

    @Override
    public boolean isSynaptic() {
        return false;
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
        return global ? "GlobalAveragePool" : "AveragePool " + kernelH + "x" + kernelW + "/" + strideH;
    }
}
