package io.spikeflux.engine.graph;

import java.util.Arrays;

/**
 * Max pooling. In the ANN each output is the largest input of its window (padding never wins).
 * Spike trains have no instantaneous maximum, so in the SNN a window is a gate: it passes the
 * spikes of the input neuron that has fired most so far in the sample (the online-rate gate of
 * Rueckauer et al. 2017), ties going to the lowest input index so that runs are reproducible.
 * A neuron with the highest rate is the one whose ANN activation was the maximum, so the gate's
 * output rate converges to the rate of the ANN's max.
 */
public final class MaxPool implements Operator {

    private final TensorShape in;
    private final TensorShape out;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    /** Output pixels each input row and column reaches. */
    private final KernelTaps rows;
    private final KernelTaps cols;
    private final IndexDivisor byChannels;
    private final IndexDivisor byWidth;

    public MaxPool(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW, int padTop,
                   int padLeft) {
        if (in.channels() != out.channels()) {
            throw new IllegalArgumentException("max pooling keeps channels: " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.rows = KernelTaps.rows(in.height(), out.height(), kernelH, strideH, padTop, 0, out.width());
        this.cols = KernelTaps.rows(in.width(), out.width(), kernelW, strideW, padLeft, 0, 1);
        this.byChannels = new IndexDivisor(in.channels());
        this.byWidth = new IndexDivisor(in.width());
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                if (firstInputPixel(oy, ox) < 0) {
                    throw new IllegalArgumentException("max pooling window (" + oy + "," + ox + ") covers only padding");
                }
            }
        }
    }

    public TensorShape inputShape() {
        return in;
    }

    public TensorShape outputShape() {
        return out;
    }

    /** The lowest-index input pixel inside the window of output pixel (oy, ox), or -1. */
    private int firstInputPixel(int oy, int ox) {
        int y0 = Math.max(0, oy * strideH - padTop);
        int x0 = Math.max(0, ox * strideW - padLeft);
        if (y0 >= Math.min(in.height(), oy * strideH - padTop + kernelH)
                || x0 >= Math.min(in.width(), ox * strideW - padLeft + kernelW)) {
            return -1;
        }
        return y0 * in.width() + x0;
    }

    /** The ANN operation: each output is the maximum of its window. */
    public void forward(float[] input, float[] output) {
        int c = in.channels();
        for (int oy = 0; oy < out.height(); oy++) {
            int y0 = Math.max(0, oy * strideH - padTop);
            int y1 = Math.min(in.height(), oy * strideH - padTop + kernelH);
            for (int ox = 0; ox < out.width(); ox++) {
                int x0 = Math.max(0, ox * strideW - padLeft);
                int x1 = Math.min(in.width(), ox * strideW - padLeft + kernelW);
                int o = (oy * out.width() + ox) * c;
                Arrays.fill(output, o, o + c, Float.NEGATIVE_INFINITY);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int i = (y * in.width() + x) * c;
                        for (int ch = 0; ch < c; ch++) {
                            output[o + ch] = Math.max(output[o + ch], input[i + ch]);
                        }
                    }
                }
            }
        }
    }

    /** The spiking gate's state for one stream (one thread at a time). */
    public Gate newGate() {
        return new Gate();
    }

    @Override
    public String describe() {
        return "MaxPool " + kernelH + "x" + kernelW + "/" + strideH;
    }

    /**
     * Per-stream state of the spiking max pool: accumulated input per neuron and the current
     * winner of each window. A step costs O(active inputs x windows per input).
     */
    public final class Gate {
        private final float[] accumulated = new float[in.size()];
        private final int[] winner = new int[out.size()];
        private final float[] passed = new float[out.size()];
        private final int[] passedIndices = new int[out.size()];
        private int passedCount;

        private Gate() {
            reset();
        }

        /** Starts a new sample: nothing has fired yet, each window's first input leads. */
        public void reset() {
            Arrays.fill(accumulated, 0f);
            int c = in.channels();
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    int first = firstInputPixel(oy, ox) * c;
                    int o = (oy * out.width() + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        winner[o + ch] = first + ch;
                    }
                }
            }
            clearPassed();
        }

        private void clearPassed() {
            for (int k = 0; k < passedCount; k++) {
                passed[passedIndices[k]] = 0f;
            }
            passedCount = 0;
        }

        /**
         * One step: this step's non-zero inputs are counted, the windows they belong to re-elect
         * their leader, and each window whose leader fired now passes its value on.
         *
         * @return the number of outputs passed; see {@link #passedIndices()} and {@link #passedValues()}
         */
        public int step(float[] input, int[] active, int count) {
            clearPassed();
            for (int k = 0; k < count; k++) {
                accumulated[active[k]] += input[active[k]];
            }
            int c = in.channels();
            int width = in.width();
            for (int k = 0; k < count; k++) {
                int i = active[k];
                int pixel = byChannels.divide(i);
                int ch = i - pixel * c;
                int y = byWidth.divide(pixel);
                int x = pixel - y * width;
                float mine = accumulated[i];
                for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
                    int oRow = rows.outputOffset(r);
                    for (int t = cols.from(x), colTo = cols.from(x + 1); t < colTo; t++) {
                        int o = (oRow + cols.outputOffset(t)) * c + ch;
                        int w = winner[o];
                        // counts only grow, so the leader is the old one or an input that fired now
                        if (w != i && (mine > accumulated[w] || (mine == accumulated[w] && i < w))) {
                            winner[o] = i;
                        }
                    }
                }
            }
            for (int k = 0; k < count; k++) {
                int i = active[k];
                int pixel = byChannels.divide(i);
                int ch = i - pixel * c;
                int y = byWidth.divide(pixel);
                int x = pixel - y * width;
                for (int r = rows.from(y), rowTo = rows.from(y + 1); r < rowTo; r++) {
                    int oRow = rows.outputOffset(r);
                    for (int t = cols.from(x), colTo = cols.from(x + 1); t < colTo; t++) {
                        int o = (oRow + cols.outputOffset(t)) * c + ch;
                        if (winner[o] == i && passed[o] == 0f) {
                            passed[o] = input[i];
                            passedIndices[passedCount++] = o;
                        }
                    }
                }
            }
            return passedCount;
        }

        public int[] passedIndices() {
            return passedIndices;
        }

        public float[] passedValues() {
            return passed;
        }
    }
}
