package io.spikeflux.engine.kernel;

/** The portable loops; C2 does not vectorise them on JDK 17. */
public final class ScalarKernels extends Kernels {

    @Override
    public void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] += a * w[wOff + c];
        }
    }

    @Override
    public void addWindow(float a, float[] w, int wOff, float[] out, int oOff, int oStride, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            addScaled(a, w, wOff + r * n, out, oOff + r * oStride, n);
        }
    }

    @Override
    public void addWindow2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int oStride, int rows,
                           int n) {
        for (int r = 0; r < rows; r++) {
            addScaled2(a1, w1 + r * n, a2, w2 + r * n, w, out, oOff + r * oStride, n);
        }
    }

    @Override
    public void addWindow3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out, int oOff,
                           int oStride, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            addScaled3(a1, w1 + r * n, a2, w2 + r * n, a3, w3 + r * n, w, out, oOff + r * oStride, n);
        }
    }

    @Override
    public void addWindow4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                           float[] out, int oOff, int oStride, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            addScaled4(a1, w1 + r * n, a2, w2 + r * n, a3, w3 + r * n, a4, w4 + r * n, w, out, oOff + r * oStride, n);
        }
    }

    @Override
    public void addScaled2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c];
        }
    }

    @Override
    public void addScaled3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out, int oOff,
                           int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c];
        }
    }

    @Override
    public void addScaled4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                           float[] out, int oOff, int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c] + a4 * w[w4 + c];
        }
    }

    @Override
    public int integrate(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        return integrateRange(membrane, 0, size, current, null, 0, vth, subtract, spikes, 0);
    }

    @Override
    public int integrateSum(float[] membrane, float[] a, float[] b, int size, float vth, boolean subtract,
                            int[] spikes) {
        return integrateRange(membrane, 0, size, a, b, 0, vth, subtract, spikes, 0);
    }

    @Override
    public int integrateSparse(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        return integrate(membrane, current, size, vth, subtract, spikes);
    }

    @Override
    public int integrateRows(float[] membrane, float[] table, int[] rows, int pixels, int width, int zeroRow,
                             float vth, boolean subtract, int[] spikes) {
        int n = 0;
        for (int p = 0; p < pixels; p++) {
            if (rows[p] == zeroRow) {
                continue;
            }
            n = integrateRange(membrane, p * width, (p + 1) * width, table, null, rows[p] * width, vth, subtract,
                    spikes, n);
        }
        return n;
    }

    /**
     * Integrate-and-fire of neurons {@code [from, to)}, neuron {@code i}'s current at
     * {@code current[currentFrom + i - from]}, plus {@code second[...]} at the same index unless
     * that is null; spikes are appended from {@code spikes[n]}. Also the tail of the SIMD loops,
     * so that both kernels do the same float operations.
     *
     * @return the new number of spikes
     */
    static int integrateRange(float[] membrane, int from, int to, float[] current, float[] second, int currentFrom,
                              float vth, boolean subtract, int[] spikes, int n) {
        for (int i = from, c = currentFrom; i < to; i++, c++) {
            float m = membrane[i] + (second == null ? current[c] : current[c] + second[c]);
            if (m >= vth) {
                spikes[n++] = i;
                m = subtract ? m - vth : 0f;
            }
            membrane[i] = m;
        }
        return n;
    }

    @Override
    public void copyRows(float[] table, int[] rows, int count, int width, float[] out) {
        for (int p = 0; p < count; p++) {
            int from = rows[p] * width;
            int to = p * width;
            for (int c = 0; c < width; c++) {
                out[to + c] = table[from + c];
            }
        }
    }

    @Override
    public int nonZeroIndices(float[] x, int size, int[] indices) {
        return nonZeroRange(x, 0, size, indices, 0);
    }

    /** The indices in {@code [from, to)} where {@code x} is not zero, appended from {@code indices[n]}. */
    static int nonZeroRange(float[] x, int from, int to, int[] indices, int n) {
        for (int i = from; i < to; i++) {
            // branch-free: pooled currents are non-zero at a third or so of the positions,
            // where a branch would be mispredicted half the time
            indices[n] = i;
            n += x[i] != 0f ? 1 : 0;
        }
        return n;
    }

    @Override
    public float maxOrZero(float[] x, int size) {
        float m = 0f;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
