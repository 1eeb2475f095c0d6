package io.spikeflux.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** SIMD over the preferred vector width; loaded only when the incubator module is present. */
public final class VectorKernels extends Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

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
        // Two passes: the sum in SIMD, then a scalar scan for the few neurons at threshold (a
        // vector compare and mask is not intrinsified by JDK 17's C2 and was slower than this).
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            FloatVector.fromArray(S, membrane, i).add(FloatVector.fromArray(S, current, i)).intoArray(membrane, i);
        }
        for (; i < size; i++) {
            membrane[i] += current[i];
        }
        int n = 0;
        for (int k = 0; k < size; k++) {
            float m = membrane[k];
            if (m >= vth) {
                spikes[n++] = k;
                membrane[k] = subtract ? m - vth : 0f;
            }
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
}
