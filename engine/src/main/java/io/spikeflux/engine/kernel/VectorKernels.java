package io.spikeflux.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD over the preferred vector width; loaded only when the incubator module is present. */
public final class VectorKernels extends Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    /**
     * Lane k holds the float whose bit pattern is {@code 1 << k}: blending is a bitwise select, so
     * the blended lanes read as ints and OR-reduced give the mask as bits.
     */
    private static final FloatVector LANE_BITS = FloatVector.fromArray(S, laneBits(), 0);
    /** For shapes the vector loops do not cover. */
    private static final Kernels SCALAR = new ScalarKernels();

    @Override
    public void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n) {
        // vector-by-vector operations only: the scalar-operand forms are not intrinsified on JDK 17
        FloatVector scale = FloatVector.broadcast(S, a);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, w, wOff + c).mul(scale)
                    .add(FloatVector.fromArray(S, out, oOff + c)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] += a * w[wOff + c];
        }
    }

    @Override
    public void addScaled2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, w1 + c).mul(s1))
                    .add(FloatVector.fromArray(S, w, w2 + c).mul(s2)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c];
        }
    }

    @Override
    public void addScaled4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                           float[] out, int oOff, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        FloatVector s3 = FloatVector.broadcast(S, a3);
        FloatVector s4 = FloatVector.broadcast(S, a4);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, w1 + c).mul(s1))
                    .add(FloatVector.fromArray(S, w, w2 + c).mul(s2))
                    .add(FloatVector.fromArray(S, w, w3 + c).mul(s3))
                    .add(FloatVector.fromArray(S, w, w4 + c).mul(s4)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c] + a4 * w[w4 + c];
        }
    }

    @Override
    public int integrate(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        // One pass in SIMD: sum, threshold test and reset. Every block's mask becomes bits (an
        // OR of lane bits: JDK 17 has no intrinsic for VectorMask.toLong, and its float ADD
        // reduction is a chain of 16 ordered adds); the bits of 64 neurons are gathered in a
        // long before any branch, so a layer costs one unpredictable branch per 64 neurons and
        // a neuron below threshold costs no scalar work at all.
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector laneBits = LANE_BITS;
        int n = 0;
        int i = 0;
        long word = 0L;
        int shift = 0;
        int wordStart = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            FloatVector m = FloatVector.fromArray(S, membrane, i).add(FloatVector.fromArray(S, current, i));
            VectorMask<Float> fired = m.compare(VectorOperators.GE, threshold);
            (subtract ? m.blend(m.sub(threshold), fired) : m.blend(zero, fired)).intoArray(membrane, i);
            word |= (long) zero.blend(laneBits, fired).reinterpretAsInts().reduceLanes(VectorOperators.OR) << shift;
            shift += LANES;
            if (shift == Long.SIZE) {
                n = emit(word, wordStart, spikes, n);
                word = 0L;
                shift = 0;
                wordStart = i + LANES;
            }
        }
        n = emit(word, wordStart, spikes, n);
        return ScalarKernels.integrateRange(membrane, i, size, current, i, vth, subtract, spikes, n);
    }

    @Override
    public void copyRows(float[] table, int[] rows, int count, int width, float[] out) {
        int bound = S.loopBound(width);
        for (int p = 0; p < count; p++) {
            int from = rows[p] * width;
            int to = p * width;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(S, table, from + c).intoArray(out, to + c);
            }
            for (; c < width; c++) {
                out[to + c] = table[from + c];
            }
        }
    }

    @Override
    public int nonZeroIndices(float[] x, int size, int[] indices) {
        // the integrate kernel's way to indices: masks as bits, 64 elements to a word
        FloatVector zero = FloatVector.zero(S);
        FloatVector laneBits = LANE_BITS;
        int n = 0;
        int i = 0;
        long word = 0L;
        int shift = 0;
        int wordStart = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            VectorMask<Float> nonZero = FloatVector.fromArray(S, x, i).compare(VectorOperators.NE, zero);
            word |= (long) zero.blend(laneBits, nonZero).reinterpretAsInts().reduceLanes(VectorOperators.OR) << shift;
            shift += LANES;
            if (shift == Long.SIZE) {
                n = emit(word, wordStart, indices, n);
                word = 0L;
                shift = 0;
                wordStart = i + LANES;
            }
        }
        n = emit(word, wordStart, indices, n);
        return ScalarKernels.nonZeroRange(x, i, size, indices, n);
    }

    @Override
    public int integrateSparse(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        // a block's mask becomes bits only when it has a spike: the test is a well-predicted
        // branch where few neurons fire, and the OR reduction is skipped for the quiet blocks
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector laneBits = LANE_BITS;
        int n = 0;
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            FloatVector m = FloatVector.fromArray(S, membrane, i).add(FloatVector.fromArray(S, current, i));
            VectorMask<Float> fired = m.compare(VectorOperators.GE, threshold);
            (subtract ? m.blend(m.sub(threshold), fired) : m.blend(zero, fired)).intoArray(membrane, i);
            if (fired.anyTrue()) {
                n = emit(zero.blend(laneBits, fired).reinterpretAsInts().reduceLanes(VectorOperators.OR), i, spikes, n);
            }
        }
        return ScalarKernels.integrateRange(membrane, i, size, current, i, vth, subtract, spikes, n);
    }

    @Override
    public int integrateRows(float[] membrane, float[] table, int[] rows, int pixels, int width, int zeroRow,
                             float vth, boolean subtract, int[] spikes) {
        if (width % LANES != 0) {
            return SCALAR.integrateRows(membrane, table, rows, pixels, width, zeroRow, vth, subtract, spikes);
        }
        // integrate's loop, the current of each block read from its pixel's table row
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector laneBits = LANE_BITS;
        int n = 0;
        long word = 0L;
        int shift = 0;
        int wordStart = 0;
        for (int p = 0, i = 0; p < pixels; p++) {
            if (rows[p] == zeroRow) {
                // its lanes fire nothing: only the spike word moves on (a loop of its own: a
                // branch inside the integrating loop made LeNet's first stage ~5% slower)
                for (int c = 0; c < width; c += LANES, i += LANES) {
                    shift += LANES;
                    if (shift == Long.SIZE) {
                        n = emit(word, wordStart, spikes, n);
                        word = 0L;
                        shift = 0;
                        wordStart = i + LANES;
                    }
                }
                continue;
            }
            int from = rows[p] * width;
            for (int c = 0; c < width; c += LANES, i += LANES) {
                FloatVector m = FloatVector.fromArray(S, membrane, i).add(FloatVector.fromArray(S, table, from + c));
                VectorMask<Float> fired = m.compare(VectorOperators.GE, threshold);
                (subtract ? m.blend(m.sub(threshold), fired) : m.blend(zero, fired)).intoArray(membrane, i);
                word |= (long) zero.blend(laneBits, fired).reinterpretAsInts().reduceLanes(VectorOperators.OR) << shift;
                shift += LANES;
                if (shift == Long.SIZE) {
                    n = emit(word, wordStart, spikes, n);
                    word = 0L;
                    shift = 0;
                    wordStart = i + LANES;
                }
            }
        }
        return emit(word, wordStart, spikes, n);
    }

    private static int emit(long bits, int start, int[] spikes, int n) {
        while (bits != 0L) {
            spikes[n++] = start + Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
        }
        return n;
    }

    @Override
    public float maxOrZero(float[] x, int size) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            acc = acc.max(FloatVector.fromArray(S, x, i));
        }
        float m = acc.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        for (; i < size; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    @Override
    public String name() {
        return "vector(" + LANES + " lanes)";
    }

    private static float[] laneBits() {
        float[] bits = new float[LANES];
        for (int k = 0; k < LANES; k++) {
            bits[k] = Float.intBitsToFloat(1 << k);
        }
        return bits;
    }
}
