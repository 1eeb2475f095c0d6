package io.spikeflux.engine.graph;

/**
 * Where one input coordinate's contributions go along one axis of a sliding window, precomputed
 * so that a scatter needs no division per tap: for input coordinate {@code i}, segments of
 * (offset into the weights, offset into the output, length), with offsets already multiplied by
 * their strides. Along rows a segment is one kernel row; along columns with stride 1 the kernel
 * positions that reach adjacent outputs merge into one segment (the weights are stored with the
 * kernel column reversed so that their slabs are adjacent too).
 */
final class KernelTaps {

    private final int[] start;
    private final int[] weightOffset;
    private final int[] outputOffset;
    private final int[] length;

    private KernelTaps(int[] start, int[] weightOffset, int[] outputOffset, int[] length) {
        this.start = start;
        this.weightOffset = weightOffset;
        this.outputOffset = outputOffset;
        this.length = length;
    }

    /** One segment per kernel row reaching an output row: weight offset {@code ky * kernelRowStride}. */
    static KernelTaps rows(int inSize, int outSize, int kernel, int stride, int pad, int kernelRowStride,
                           int outputRowStride) {
        return build(inSize, outSize, kernel, stride, pad, false, kernelRowStride, outputRowStride, 1);
    }

    /**
     * Segments along columns of {@code cout}-float slabs, kernel column reversed in the weights;
     * adjacent ones merged when the stride is 1.
     */
    static KernelTaps columns(int inSize, int outSize, int kernel, int stride, int pad, int cout) {
        return build(inSize, outSize, kernel, stride, pad, true, cout, cout, cout);
    }

    /**
     * Segments along columns of {@code slab}-float runs placed {@code outputStride} apart in the
     * output (a grouped convolution's group within all output channels); never merged.
     */
    static KernelTaps columns(int inSize, int outSize, int kernel, int stride, int pad, int slab, int outputStride) {
        return build(inSize, outSize, kernel, stride, pad, true, slab, outputStride, slab);
    }

    private static KernelTaps build(int inSize, int outSize, int kernel, int stride, int pad, boolean reversed,
                                    int kernelStride, int outputStride, int slab) {
        int[] start = new int[inSize + 1];
        int[] w = new int[inSize * kernel];
        int[] o = new int[inSize * kernel];
        int[] len = new int[inSize * kernel];
        int n = 0;
        for (int i = 0; i < inSize; i++) {
            start[i] = n;
            // kernel positions in weight order: reversed columns visit outputs left to right
            for (int j = 0; j < kernel; j++) {
                int k = reversed ? kernel - 1 - j : j;
                int num = i + pad - k;
                if (num < 0 || num % stride != 0 || num / stride >= outSize) {
                    continue;
                }
                int out = num / stride;
                boolean merge = reversed && stride == 1 && n > start[i]
                        && w[n - 1] + len[n - 1] == j * kernelStride && o[n - 1] + len[n - 1] == out * outputStride;
                if (merge) {
                    len[n - 1] += slab;
                } else {
                    w[n] = j * kernelStride;
                    o[n] = out * outputStride;
                    len[n] = slab;
                    n++;
                }
            }
        }
        start[inSize] = n;
        return new KernelTaps(start, java.util.Arrays.copyOf(w, n), java.util.Arrays.copyOf(o, n),
                java.util.Arrays.copyOf(len, n));
    }

    /** First segment of input coordinate {@code i}; its segments are {@code [from(i), from(i + 1))}. */
    int from(int i) {
        return start[i];
    }

    int weightOffset(int segment) {
        return weightOffset[segment];
    }

    int outputOffset(int segment) {
        return outputOffset[segment];
    }

    int length(int segment) {
        return length[segment];
    }
}
