package io.spikeflux.engine.graph;

import io.spikeflux.engine.kernel.Kernels;

/**
 * 2-D convolution (dilation 1), grouped or not. Weights are laid out {@code [kH][kW][Cin][Cout/G]}
 * so that one input element's contribution to one output pixel is a contiguous run of the
 * {@code Cout/G} output channels of its group (all {@code Cout} when {@code G = 1}).
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
    private final int groups;
    private final float[] weights;
    /** Per output channel ({@code Cout} values) or per output element ({@code out.size()}), or null. */
    private final float[] bias;
    /** The weights as {@code [Cin][kH][kW reversed][Cout/G]}: one input's slabs for one kernel row, adjacent. */
    private final float[] scatterWeights;
    private final KernelTaps rows;
    private final KernelTaps cols;
    /** The windows as patterns, when the input is a single-channel map with a small window; else null. */
    private final SpikeMapWindows windows;
    /** The pattern table of this convolution, made when a kernel first needs it. */
    private volatile SpikeMapCurrents currents;
    /**
     * Per input row (column), the output offset of the first of its window's rows (columns)
     * when the whole window lies inside the output, else -1 (or always, with strides or groups):
     * an input inside both gets its window in one {@link Kernels#addWindow} call.
     */
    private final int[] windowRow;
    private final int[] windowColumn;
    private final IndexDivisor byChannels;
    private final IndexDivisor byWidth;
    /**
     * For a strided 1x1 convolution without padding, per input pixel the offset of the one output
     * pixel it reaches, or -1 (most of them: three in four with stride 2); else null.
     */
    private final int[] pointOutput;

    /**
     * @param weights {@code [kH][kW][Cin][Cout]} channel-last
     * @param bias    per output channel, or {@code null}
     */
    public Conv2d(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                  int padTop, int padLeft, float[] weights, float[] bias) {
        this(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, 1, weights, bias);
    }

    /**
     * @param groups  input and output channels split into this many groups, each convolved on its own
     *                (depthwise: {@code groups == Cin})
     * @param weights {@code [kH][kW][Cin][Cout/groups]} channel-last
     * @param bias    per output channel ({@code Cout} values), per output element ({@code out.size()}
     *                values, where folding input normalisation made the border differ), or {@code null}
     */
    public Conv2d(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                  int padTop, int padLeft, int groups, float[] weights, float[] bias) {
        if (groups < 1 || in.channels() % groups != 0 || out.channels() % groups != 0) {
            throw new IllegalArgumentException("group " + groups + " does not divide " + in.channels()
                    + " input and " + out.channels() + " output channels");
        }
        int slab = out.channels() / groups;
        if (weights.length != kernelH * kernelW * in.channels() * slab) {
            throw new IllegalArgumentException("conv weights have " + weights.length + " values, expected "
                    + kernelH * kernelW * in.channels() * slab);
        }
        if (bias != null && bias.length != out.channels() && bias.length != out.size()) {
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
        this.groups = groups;
        this.weights = weights;
        this.bias = bias;
        this.byChannels = new IndexDivisor(in.channels());
        this.byWidth = new IndexDivisor(in.width());
        this.windows = SpikeMapWindows.applies(in, kernelH, kernelW, groups) && (bias == null || bias.length == out.channels())
                ? new SpikeMapWindows(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft) : null;
        int cout = out.channels();
        this.scatterWeights = scatterLayout(weights, kernelH, kernelW, in.channels(), slab);
        this.rows = KernelTaps.rows(in.height(), out.height(), kernelH, strideH, padTop, kernelW * slab,
                out.width() * cout);
        // with groups the slabs of adjacent outputs are not adjacent in the output: no merging
        this.cols = groups == 1
                ? KernelTaps.columns(in.width(), out.width(), kernelW, strideW, padLeft, cout)
                : KernelTaps.columns(in.width(), out.width(), kernelW, strideW, padLeft, slab, cout);
        boolean whole = groups == 1 && strideH == 1 && strideW == 1;
        this.windowRow = new int[in.height()];
        for (int y = 0; y < windowRow.length; y++) {
            windowRow[y] = whole && rows.from(y + 1) - rows.from(y) == kernelH ? rows.outputOffset(rows.from(y)) : -1;
        }
        this.windowColumn = new int[in.width()];
        for (int x = 0; x < windowColumn.length; x++) {
            int g = cols.from(x);
            windowColumn[x] = whole && cols.from(x + 1) - g == 1 && cols.length(g) == kernelW * cout
                    ? cols.outputOffset(g) : -1;
        }
        this.pointOutput = groups == 1 && kernelH == 1 && kernelW == 1 && padTop == 0 && padLeft == 0
                && (strideH > 1 || strideW > 1) ? pointOutputs(in, out, strideH, strideW) : null;
    }

    private static int[] pointOutputs(TensorShape in, TensorShape out, int strideH, int strideW) {
        int[] offsets = new int[in.height() * in.width()];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                boolean reaches = y % strideH == 0 && x % strideW == 0 && y / strideH < out.height()
                        && x / strideW < out.width();
                offsets[y * in.width() + x] = reaches ? (y / strideH * out.width() + x / strideW) * out.channels() : -1;
            }
        }
        return offsets;
    }

    private static float[] scatterLayout(float[] w, int kh, int kw, int cin, int slab) {
        float[] t = new float[w.length];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int ci = 0; ci < cin; ci++) {
                    System.arraycopy(w, ((ky * kw + kx) * cin + ci) * slab, t,
                            ((ci * kh + ky) * kw + (kw - 1 - kx)) * slab, slab);
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
        if (bias.length != cout) {
            System.arraycopy(bias, 0, output, 0, bias.length);
            return;
        }
        // the bias, then the filled part copied after itself: log2(pixels) copies, not one per pixel
        System.arraycopy(bias, 0, output, 0, cout);
        int size = pixels * cout;
        for (int filled = cout; filled < size; filled *= 2) {
            System.arraycopy(output, 0, output, filled, Math.min(filled, size - filled));
        }
    }

    /**
     * The largest-current table of this convolution over single-channel spike maps, or null when
     * its shape does not allow one (see {@link SpikeMapMaxima}).
     */
    public SpikeMapMaxima spikeMapMaxima() {
        return windows == null ? null : new SpikeMapMaxima(this, windows, out.channels(), weights, bias);
    }

    /** Whether {@link #newKernel()} computes this convolution by pattern table for spike-map inputs. */
    public boolean hasSpikeMapTable() {
        return groups == 1 && windows != null && SpikeMapCurrents.fits(windows, out);
    }

    @Override
    public LinearKernel newKernel() {
        if (groups != 1 || windows == null || !SpikeMapCurrents.fits(windows, out)) {
            return newScatterKernel();
        }
        SpikeMapCurrents table = currents;
        if (table == null) {
            // racing threads may each build one: the tables are equal
            table = new SpikeMapCurrents(windows, in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft,
                    weights, bias);
            currents = table;
        }
        return table.newKernel(newScatterKernel());
    }

    /** The event-driven scatter, whatever the input: the reference the pattern table must equal. */
    LinearKernel newScatterKernel() {
        if (groups != 1) {
            return this::propagateGrouped;
        }
        if (pointOutput != null) {
            int[] reaching = new int[in.size()];
            return (input, active, count, output) -> propagatePointwise(input, active, count, output, reaching);
        }
        return this::propagate;
    }

    /**
     * The scatter of a strided 1x1 convolution. The inputs that reach an output are picked out
     * first, without a branch: in the scatter's walk, whether an input's row and column had an
     * output was a branch per input that the stride's pattern made unpredictable, and ResNet's
     * projections spent about 20 ns per input on it, most of which reach nothing. The rest is
     * the scatter's, in the same order and grouping, so the floats are the same.
     */
    private long propagatePointwise(float[] input, int[] active, int count, float[] output, int[] reaching) {
        int[] offsets = pointOutput;
        int m = 0;
        for (int k = 0; k < count; k++) {
            int i = active[k];
            reaching[m] = i;
            m += ~offsets[byChannels.divide(i)] >>> 31;
        }
        int cin = in.channels();
        int cout = out.channels();
        long ops = 0;
        for (int k = 0; k < m; k++) {
            int pixel = byChannels.divide(reaching[k]);
            int base = pixel * cin;
            int same = 1;
            while (same < 4 && k + same < m && Integer.compareUnsigned(reaching[k + same] - base, cin) < 0) {
                same++;
            }
            // a 1x1 window: one run of the output's channels
            ops += window(input, reaching, k, same, base, cout, offsets[pixel], output);
            k += same - 1;
        }
        return ops;
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
            int pixel = byChannels.divide(i);
            int y = byWidth.divide(pixel);
            int x = pixel - y * width;
            // Active channels of one pixel reach the same outputs: add up to four in one pass over
            // them (ascending indices keep a pixel's channels adjacent in the list).
            // (unsigned: an index below the pixel's wraps around and fails the test too)
            int base = pixel * cin;
            int same = 1;
            while (same < 4 && k + same < count && Integer.compareUnsigned(active[k + same] - base, cin) < 0) {
                same++;
            }
            if ((windowRow[y] | windowColumn[x]) >= 0) {
                ops += window(input, active, k, same, base, channelStride, windowRow[y] + windowColumn[x], output);
                k += same - 1;
                continue;
            }
            int segFrom = cols.from(x);
            int segTo = cols.from(x + 1);
            if (same >= 3) {
                if (same == 4) {
                    ops += scatter4(input, active, k, base, channelStride, y, segFrom, segTo, output);
                    k += 3;
                } else {
                    ops += scatter3(input, active, k, base, channelStride, y, segFrom, segTo, output);
                    k += 2;
                }
                continue;
            }
            boolean pair = same == 2;
            float value = input[i];
            int channelOffset = (i - base) * channelStride;
            int i2 = pair ? active[k + 1] : 0;
            float value2 = pair ? input[i2] : 0f;
            int channelOffset2 = (i2 - base) * channelStride;
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
     * {@code same} (1 to 4) active channels of one pixel ({@code active[k..k+same)}) whose whole
     * window lies inside the output: one kernel call for all its rows. The weights hold them
     * bottom-up, so the first run goes to the lowest output row, at {@code o}, and each next one
     * a row higher.
     */
    private long window(float[] input, int[] active, int k, int same, int base, int channelStride, int o,
                        float[] output) {
        float[] w = scatterWeights;
        int rowStride = -out.width() * out.channels();
        int run = kernelW * out.channels();
        int c1 = (active[k] - base) * channelStride;
        float v1 = input[active[k]];
        switch (same) {
            case 1 -> KERNELS.addWindow(v1, w, c1, output, o, rowStride, kernelH, run);
            case 2 -> KERNELS.addWindow2(v1, c1, input[active[k + 1]], (active[k + 1] - base) * channelStride, w,
                    output, o, rowStride, kernelH, run);
            case 3 -> KERNELS.addWindow3(v1, c1, input[active[k + 1]], (active[k + 1] - base) * channelStride,
                    input[active[k + 2]], (active[k + 2] - base) * channelStride, w, output, o, rowStride, kernelH,
                    run);
            default -> KERNELS.addWindow4(v1, c1, input[active[k + 1]], (active[k + 1] - base) * channelStride,
                    input[active[k + 2]], (active[k + 2] - base) * channelStride, input[active[k + 3]],
                    (active[k + 3] - base) * channelStride, w, output, o, rowStride, kernelH, run);
        }
        return (long) same * kernelH * run;
    }

    /**
     * Three active channels of one pixel ({@code active[k..k+2]}) added in one pass over their outputs.
     * Each channel count keeps its own copy of the row walk (one inlined kernel per loop):
     * one method choosing among all four kernels per segment made VGG's conv stages slower in four
     * of five alternating pairs (139-178 against 124-139 us).
     */
    private long scatter3(float[] input, int[] active, int k, int base, int channelStride, int y, int segFrom,
                          int segTo, float[] output) {
        float[] w = scatterWeights;
        int c1 = (active[k] - base) * channelStride;
        int c2 = (active[k + 1] - base) * channelStride;
        int c3 = (active[k + 2] - base) * channelStride;
        float v1 = input[active[k]];
        float v2 = input[active[k + 1]];
        float v3 = input[active[k + 2]];
        long ops = 0;
        for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
            int wRow = rows.weightOffset(r);
            int oRow = rows.outputOffset(r);
            for (int g = segFrom; g < segTo; g++) {
                int length = cols.length(g);
                int wSeg = wRow + cols.weightOffset(g);
                KERNELS.addScaled3(v1, c1 + wSeg, v2, c2 + wSeg, v3, c3 + wSeg, w, output, oRow + cols.outputOffset(g),
                        length);
                ops += 3L * length;
            }
        }
        return ops;
    }

    /** Four active channels of one pixel ({@code active[k..k+3]}) added in one pass over their outputs. */
    private long scatter4(float[] input, int[] active, int k, int base, int channelStride, int y, int segFrom,
                          int segTo, float[] output) {
        float[] w = scatterWeights;
        int c1 = (active[k] - base) * channelStride;
        int c2 = (active[k + 1] - base) * channelStride;
        int c3 = (active[k + 2] - base) * channelStride;
        int c4 = (active[k + 3] - base) * channelStride;
        float v1 = input[active[k]];
        float v2 = input[active[k + 1]];
        float v3 = input[active[k + 2]];
        float v4 = input[active[k + 3]];
        long ops = 0;
        for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
            int wRow = rows.weightOffset(r);
            int oRow = rows.outputOffset(r);
            for (int g = segFrom; g < segTo; g++) {
                int length = cols.length(g);
                int wSeg = wRow + cols.weightOffset(g);
                KERNELS.addScaled4(v1, c1 + wSeg, v2, c2 + wSeg, v3, c3 + wSeg, v4, c4 + wSeg, w, output,
                        oRow + cols.outputOffset(g), length);
                ops += 4L * length;
            }
        }
        return ops;
    }

    /** The scatter of a grouped convolution: an input reaches only its group's output channels. */
    private long propagateGrouped(float[] input, int[] active, int count, float[] output) {
        int cin = in.channels();
        int width = in.width();
        int slab = out.channels() / groups;
        int cinPerGroup = cin / groups;
        int channelStride = kernelH * kernelW * slab;
        float[] w = scatterWeights;
        long ops = 0;
        for (int k = 0; k < count; k++) {
            int i = active[k];
            float value = input[i];
            int pixel = byChannels.divide(i);
            int ci = i - pixel * cin;
            int y = byWidth.divide(pixel);
            int x = pixel - y * width;
            int channelOffset = ci * channelStride;
            int groupOffset = ci / cinPerGroup * slab;
            int segFrom = cols.from(x);
            int segTo = cols.from(x + 1);
            for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
                int wRow = rows.weightOffset(r);
                int oRow = rows.outputOffset(r) + groupOffset;
                for (int g = segFrom; g < segTo; g++) {
                    int length = cols.length(g);
                    KERNELS.addScaled(value, w, channelOffset + wRow + cols.weightOffset(g), output,
                            oRow + cols.outputOffset(g), length);
                    ops += length;
                }
            }
        }
        return ops;
    }

    /**
     * Folds an affine map {@code x * scale + shift} of each input channel (in-graph input
     * normalisation) into the layer, so it reads the raw input. Padding is zero in the normalised
     * input, where the raw input would be {@code -shift/scale}: output pixels whose window
     * reaches into the padding get less of the shift, so the bias becomes one per output element.
     */
    public Conv2d withInputAffine(float[] scale, float[] shift) {
        int cin = in.channels();
        int cout = out.channels();
        int slab = cout / groups;
        int cinPerGroup = cin / groups;
        float[] w = weights.clone();
        // shift contributed per kernel tap and output channel
        float[] tapShift = new float[kernelH * kernelW * cout];
        for (int tap = 0; tap < kernelH * kernelW; tap++) {
            for (int ci = 0; ci < cin; ci++) {
                int base = (tap * cin + ci) * slab;
                int group = ci / cinPerGroup;
                for (int s = 0; s < slab; s++) {
                    tapShift[tap * cout + group * slab + s] += weights[base + s] * shift[ci];
                    w[base + s] *= scale[ci];
                }
            }
        }
        float[] map = new float[out.size()];
        boolean uniform = true;
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                int o = (oy * out.width() + ox) * cout;
                for (int ky = 0; ky < kernelH; ky++) {
                    int iy = oy * strideH - padTop + ky;
                    for (int kx = 0; kx < kernelW; kx++) {
                        int ix = ox * strideW - padLeft + kx;
                        if (iy < 0 || iy >= in.height() || ix < 0 || ix >= in.width()) {
                            continue;
                        }
                        int tap = (ky * kernelW + kx) * cout;
                        for (int c = 0; c < cout; c++) {
                            map[o + c] += tapShift[tap + c];
                        }
                    }
                }
                for (int c = 0; c < cout; c++) {
                    map[o + c] += biasAt(o + c, c);
                    uniform &= map[o + c] == map[c];
                }
            }
        }
        float[] b = uniform ? java.util.Arrays.copyOf(map, cout) : map;
        return new Conv2d(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, groups, w, b);
    }

    private float biasAt(int element, int channel) {
        if (bias == null) {
            return 0f;
        }
        return bias.length == out.channels() ? bias[channel] : bias[element];
    }

    /**
     * Folds a per-output-channel affine map {@code y * scale + shift} into the weights and bias:
     * how BatchNormalization and bias additions after this layer become part of it.
     */
    public Conv2d withAffineOutput(float[] scale, float[] shift) {
        int channels = out.channels();
        int slab = channels / groups;
        int cinPerGroup = in.channels() / groups;
        float[] w = weights.clone();
        for (int i = 0; i < w.length; i++) {
            int ci = (i / slab) % in.channels();
            w[i] *= scale[ci / cinPerGroup * slab + i % slab];
        }
        float[] b = new float[bias == null ? channels : bias.length];
        for (int e = 0; e < b.length; e++) {
            int c = e % channels;
            b[e] = biasAt(e, c) * scale[c] + shift[c];
        }
        return new Conv2d(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, groups, w, b);
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
        return new Conv2d(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, groups, weights, scaled);
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
        String kind = groups == 1 ? "Conv " : groups == in.channels() ? "DepthwiseConv " : "Conv g" + groups + " ";
        return kind + kernelH + "x" + kernelW + "/" + strideH + (bias != null ? " +bias" : "");
    }

    @Override
    public long parameters() {
        return weights.length + (bias == null ? 0 : out.channels());
    }

    @Override
    public long macs() {
        return (long) out.size() * kernelH * kernelW * (in.channels() / groups);
    }
}
