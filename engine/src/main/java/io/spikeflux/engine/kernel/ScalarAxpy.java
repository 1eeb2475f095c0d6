package io.spikeflux.engine.kernel;

/** The portable loop; C2 may or may not vectorise it. */
public final class ScalarAxpy extends Axpy {

    @Override
    public void add(float[] w, int wOff, float[] out, int oOff, int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] += w[wOff + c];
        }
    }

    @Override
    public void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n) {
        for (int c = 0; c < n; c++) {
            out[oOff + c] += a * w[wOff + c];
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
