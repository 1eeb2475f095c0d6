package io.spikeflux.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD over the preferred vector width; loaded only when the incubator module is present. */
public final class VectorAxpy extends Axpy {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void add(float[] w, int wOff, float[] out, int oOff, int n) {
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += S.length()) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, wOff + c)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] += w[wOff + c];
        }
    }

    @Override
    public void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n) {
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += S.length()) {
            FloatVector.fromArray(S, w, wOff + c).lanewise(VectorOperators.MUL, a)
                    .add(FloatVector.fromArray(S, out, oOff + c)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] += a * w[wOff + c];
        }
    }

    @Override
    public String name() {
        return "vector(" + S.length() + " lanes)";
    }
}
