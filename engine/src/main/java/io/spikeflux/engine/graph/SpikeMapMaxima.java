package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.kernel.Kernels;

import java.util.Arrays;

/**
 * The largest output current of a convolution over a single-channel spike map, without computing
 * the outputs: with a small window (a 3x3 kernel is 9 bits) an output pixel's currents depend only
 * on which of its taps spiked, so the largest current of every pattern is precomputed, with the
 * taps added in the scatter's order (ascending input index, from the bias). A step's largest
 * current is then the largest over its pixels' patterns: the same float as the largest of the
 * currents the scatter would have written. SPIKE-NORM's first pass needs nothing else.
 */
public final class SpikeMapMaxima {

    /** Largest window in bits: 2^10 patterns. */
    static final int MAX_TAPS = 10;
    private static final Kernels KERNELS = Kernels.get();

    private final Conv2d conv;
    private final int outWidth;
    private final int outHeight;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int mapW;
    private final int mapH;
    /** The bits of a pattern's columns {@code kx < kW - 1}: what stays when the window moves right. */
    private final int keepLeft;
    /** Per pattern of spiking taps (bit {@code ky * kW + kx}), its pixel's largest current. */
    private final float[] largest;
    /** The patterns by largest current, descending: a step's largest is its first present one. */
    private final int[] ranked;
    /** Per input pixel, its place in the zero-padded spike map. */
    private final int[] mapIndex;

    SpikeMapMaxima(Conv2d conv, TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW,
                   int padTop, int padLeft, float[] weights, float[] bias) {
        this.conv = conv;
        this.outWidth = out.width();
        this.outHeight = out.height();
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.mapH = Math.max(in.height() + padTop, (out.height() - 1) * strideH + kernelH);
        this.mapW = Math.max(in.width() + padLeft, (out.width() - 1) * strideW + kernelW);
        int cout = out.channels();
        int taps = kernelH * kernelW;
        int keep = 0;
        for (int t = 0; t < taps; t++) {
            keep |= t % kernelW < kernelW - 1 ? 1 << t : 0;
        }
        this.keepLeft = keep;
        this.largest = new float[1 << taps];
        for (int pattern = 0; pattern < 1 << taps; pattern++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cout; c++) {
                // (ky, kx) ascending is the order in which the scatter adds a pixel's inputs; a
                // spike's contribution is weight * 1, the weight itself
                float sum = bias == null ? 0f : bias[c];
                for (int t = 0; t < taps; t++) {
                    if ((pattern >>> t & 1) != 0) {
                        sum += weights[t * cout + c];
                    }
                }
                max = Math.max(max, sum);
            }
            largest[pattern] = max;
        }
        this.ranked = java.util.stream.IntStream.range(0, 1 << taps).boxed()
                .sorted((a, b) -> Float.compare(largest[b], largest[a])).mapToInt(Integer::intValue).toArray();
        this.mapIndex = new int[in.height() * in.width()];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                mapIndex[y * in.width() + x] = (y + padTop) * mapW + x + padLeft;
            }
        }
    }

    /** Whether a convolution's shape allows the table: one input channel, no groups, a small window, a bias per channel. */
    static boolean applies(TensorShape in, TensorShape out, int kernelH, int kernelW, int groups, float[] bias) {
        return groups == 1 && in.channels() == 1 && kernelH * kernelW <= MAX_TAPS
                && (bias == null || bias.length == out.channels());
    }

    /** A probe with its own scratch memory, for one thread. */
    public Probe newProbe() {
        return new Probe();
    }

    /** Finds steps' largest currents; one per thread. */
    public final class Probe {

        private final byte[] map = new byte[mapH * mapW];
        private final int[] columns = new int[mapW];
        /** Per pattern, the last step (by this probe's count) in which a pixel had it. */
        private final int[] seen = new int[largest.length];
        private int stamp;
        private int[] distinct;
        /** For a step with an input other than 1 (signed or analog input): the full scatter. */
        private LinearKernel scatter;
        private float[] input;
        private float[] output;

        private Probe() {
        }

        /**
         * The largest current the convolution gives for a step's input, or 0 when none is
         * positive (what {@link Kernels#maxOrZero} gives on the currents it would write).
         */
        public float largestOrZero(SpikeStep step) {
            if (step.values() != null) {
                return scattered(step);
            }
            int[] active = step.indices();
            Arrays.fill(map, (byte) 0);
            for (int k = 0; k < step.count(); k++) {
                int i = active[k];
                if (k > 0 && i <= active[k - 1]) {
                    // the table adds in ascending input order, as the scatter does for ascending
                    // inputs; a pixel listed twice has input 2
                    return scattered(step);
                }
                map[mapIndex[i]] = 1;
            }
            if (stamp == Integer.MAX_VALUE) {
                Arrays.fill(seen, 0);
                stamp = 0;
            }
            int now = ++stamp;
            int[] seen = this.seen;
            int[] columns = this.columns;
            byte[] map = this.map;
            int kernelW = SpikeMapMaxima.this.kernelW;
            int keepLeft = SpikeMapMaxima.this.keepLeft;
            int mapW = SpikeMapMaxima.this.mapW;
            int lastRow = (kernelH - 1) * kernelW;
            for (int oy = 0; oy < outHeight; oy++) {
                // each column of this output row's windows as bits (ky * kW); with stride 1 a row's
                // columns are the previous row's shifted up by one kernel row, plus the new bottom row
                int top = oy * strideH * mapW;
                if (oy > 0 && strideH == 1) {
                    int bottom = top + (kernelH - 1) * mapW;
                    for (int x = 0; x < mapW; x++) {
                        columns[x] = columns[x] >>> kernelW | map[bottom + x] << lastRow;
                    }
                } else {
                    for (int x = 0; x < mapW; x++) {
                        int bits = 0;
                        for (int ky = 0, at = top + x; ky < kernelH; ky++, at += mapW) {
                            bits |= map[at] << ky * kernelW;
                        }
                        columns[x] = bits;
                    }
                }
                // a pixel ORs kW columns; with stride 1 its pattern is its left neighbour's moved
                // one column left, plus the new right column
                int pattern = 0;
                for (int ox = 0; ox < outWidth; ox++) {
                    int left = ox * strideW;
                    if (ox > 0 && strideW == 1) {
                        pattern = (pattern >>> 1 & keepLeft) | columns[left + kernelW - 1] << (kernelW - 1);
                    } else {
                        pattern = 0;
                        for (int kx = 0; kx < kernelW; kx++) {
                            pattern |= columns[left + kx] << kx;
                        }
                    }
                    seen[pattern] = now;
                }
            }
            for (int pattern : ranked) {
                if (seen[pattern] == now) {
                    return Math.max(0f, largest[pattern]);
                }
            }
            return 0f;
        }

        private float scattered(SpikeStep step) {
            if (scatter == null) {
                scatter = conv.newKernel();
                input = new float[conv.inputShape().size()];
                output = new float[conv.outputShape().size()];
                distinct = new int[input.length];
            }
            int n = step.addTo(input, distinct);
            conv.initOutput(output);
            scatter.propagate(input, distinct, n, output);
            for (int k = 0; k < n; k++) {
                input[distinct[k]] = 0f;
            }
            return KERNELS.maxOrZero(output, output.length);
        }
    }
}
