package io.spikeflux.engine.graph;

import io.spikeflux.engine.kernel.Kernels;

/**
 * A convolution over a single-channel spike map (Poisson frames) computed from a table instead of
 * scattered: every pattern of spiking taps has its output pixel's currents precomputed, from the
 * bias with the taps added in the scatter's order (ascending input index), so a step costs one
 * copy of a table row per output pixel, whatever the number of spikes, and gives the floats the
 * scatter would. Steps with other inputs (analog or signed values, indices out of order) take
 * the scatter.
 */
public final class SpikeMapCurrents {

    /** Largest table, in floats: the table must stay in cache for the copies to beat the scatter. */
    static final int MAX_TABLE = 1 << 16;
    private static final Kernels KERNELS = Kernels.get();

    private final SpikeMapWindows windows;
    private final int cout;
    /** Row {@code pattern}: the output pixel's {@code cout} currents for that pattern. */
    private final float[] table;
    /** Per input pixel, the accumulates its spike costs the scatter: outputs reached times channels. */
    private final int[] synapticOps;
    /** 0 when the pattern without spikes gives no current (no bias), else -1. */
    private final int zeroRow;

    SpikeMapCurrents(SpikeMapWindows windows, TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH,
                     int strideW, int padTop, int padLeft, float[] weights, float[] bias) {
        this.windows = windows;
        this.cout = out.channels();
        int taps = windows.taps;
        this.table = new float[(1 << taps) * cout];
        for (int pattern = 0; pattern < 1 << taps; pattern++) {
            for (int c = 0; c < cout; c++) {
                float sum = bias == null ? 0f : bias[c];
                for (int t = 0; t < taps; t++) {
                    if ((pattern >>> t & 1) != 0) {
                        sum += weights[t * cout + c];
                    }
                }
                table[pattern * cout + c] = sum;
            }
        }
        boolean silent = true;
        for (int c = 0; c < cout; c++) {
            silent &= table[c] == 0f;
        }
        this.zeroRow = silent ? 0 : -1;
        this.synapticOps = new int[in.height() * in.width()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                for (int ky = 0; ky < kernelH; ky++) {
                    int iy = oy * strideH - padTop + ky;
                    for (int kx = 0; kx < kernelW; kx++) {
                        int ix = ox * strideW - padLeft + kx;
                        if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                            synapticOps[iy * in.width() + ix] += cout;
                        }
                    }
                }
            }
        }
    }

    static boolean fits(SpikeMapWindows windows, TensorShape out) {
        return ((long) out.channels() << windows.taps) <= MAX_TABLE;
    }

    /** A kernel for one stream that falls back to {@code scatter} for steps the table does not cover. */
    Kernel newKernel(LinearKernel scatter) {
        return new Kernel(scatter);
    }

    /**
     * The table's kernel for one stream. Besides writing currents it gives a step's patterns, so
     * that the neurons the convolution drives can integrate the table's rows without the currents
     * being written at all.
     */
    public final class Kernel implements LinearKernel {

        private final LinearKernel scatter;
        private final SpikeMapWindows.Scanner scanner = windows.newScanner();
        private final int[] patterns = new int[windows.pixels()];

        private Kernel(LinearKernel scatter) {
            this.scatter = scatter;
        }

        @Override
        public long propagate(float[] input, int[] active, int count, float[] output) {
            if (!scan(input, active, count)) {
                return scatter.propagate(input, active, count, output);
            }
            KERNELS.copyRows(table, patterns, patterns.length, cout, output);
            return synapticOps(active, count);
        }

        /**
         * Finds each output pixel's pattern ({@link #patterns()}) for a step's active inputs.
         *
         * @return false when the table does not cover the step: an input other than 1, or
         *         indices out of order
         */
        public boolean scan(float[] input, int[] active, int count) {
            for (int k = 0; k < count; k++) {
                if (input[active[k]] != 1f) {
                    return false;
                }
            }
            return scanner.scan(active, count, patterns);
        }

        /** Per output pixel (row-major), the row of {@link #table()} holding its currents, after {@link #scan}. */
        public int[] patterns() {
            return patterns;
        }

        /** Rows of {@link #channels()} currents, one per pattern. */
        public float[] table() {
            return table;
        }

        public int channels() {
            return cout;
        }

        /**
         * The table's row of zeros, -1 if none: the pattern without spikes in a bias-free
         * convolution, whose pixels (most of a Fashion-MNIST frame's border and background) get
         * no current.
         */
        public int zeroRow() {
            return zeroRow;
        }

        /** The accumulates the scatter would count for these active inputs. */
        public long synapticOps(int[] active, int count) {
            long ops = 0;
            for (int k = 0; k < count; k++) {
                ops += synapticOps[active[k]];
            }
            return ops;
        }
    }
}
