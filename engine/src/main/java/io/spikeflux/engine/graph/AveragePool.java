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
    /** Output pixels (not channels) that each input row and column reaches. */
    private final KernelTaps rows;
    private final KernelTaps cols;
    private final IndexDivisor byChannels;
    private final IndexDivisor byWidth;
    /**
     * When every input reaches exactly one output (windows that tile the input: kernel = stride,
     * no padding), the output index of each input, so a spike costs two loads instead of two
     * divisions; null otherwise.
     */
    private final int[] tiledOutput;

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
        this.rows = KernelTaps.rows(in.height(), out.height(), kernelH, strideH, padTop, 0, out.width());
        this.cols = KernelTaps.rows(in.width(), out.width(), kernelW, strideW, padLeft, 0, 1);
        this.byChannels = new IndexDivisor(in.channels());
        this.byWidth = new IndexDivisor(in.width());
        this.tiledOutput = tiles(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft)
                ? tiledOutputs(in, out, kernelH, kernelW) : null;
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

    private static boolean tiles(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                                 int padTop, int padLeft) {
        return kernelH == strideH && kernelW == strideW && padTop == 0 && padLeft == 0
                && out.height() * kernelH == in.height() && out.width() * kernelW == in.width();
    }

    private static int[] tiledOutputs(TensorShape in, TensorShape out, int kernelH, int kernelW) {
        int cin = in.channels();
        int[] o = new int[in.size()];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                int p = (y / kernelH) * out.width() + x / kernelW;
                for (int c = 0; c < cin; c++) {
                    o[(y * in.width() + x) * cin + c] = p * cin + c;
                }
            }
        }
        return o;
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
    public LinearKernel newKernel() {
        return this::propagate;
    }

    private long propagate(float[] input, int[] active, int count, float[] output) {
        int[] tiled = tiledOutput;
        if (tiled != null) {
            // tiling windows without padding: every divisor is the window's size
            float inverse = inverseDivisor[0];
            for (int k = 0; k < count; k++) {
                int i = active[k];
                output[tiled[i]] += input[i] * inverse;
            }
            return 0;
        }
        int cin = in.channels();
        int width = in.width();
        KernelTaps rows = this.rows;
        KernelTaps cols = this.cols;
        for (int k = 0; k < count; k++) {
            int i = active[k];
            float value = input[i];
            int pixel = byChannels.divide(i);
            int c = i - pixel * cin;
            int y = byWidth.divide(pixel);
            int x = pixel - y * width;
            int colFrom = cols.from(x);
            int colTo = cols.from(x + 1);
            for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
                int oRow = rows.outputOffset(r);
                for (int t = colFrom; t < colTo; t++) {
                    int p = oRow + cols.outputOffset(t);
                    output[p * cin + c] += value * inverseDivisor[p];
                }
            }
        }
        return 0;
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
