package io.spikeflux.engine.snn;

/** A residual junction: the element-wise sum of two currents (or spikes). */
final class JunctionStage extends LayerStage {

    private final int a;
    private final int b;
    private final int out;

    JunctionStage(int aSlot, int bSlot, int outSlot) {
        this.a = aSlot;
        this.b = bSlot;
        this.out = outSlot;
    }

    @Override
    void run(StageGroup state) {
        ActivationBuffers buffers = state.buffers();
        sum(buffers.values(a), buffers.values(b), buffers.values(out));
        buffers.markDense(out);
    }

    /** {@code z = x + y}, element by element: a junction's current. */
    static void sum(float[] x, float[] y, float[] z) {
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] + y[i];
        }
    }

    @Override
    int[] reads() {
        return new int[]{a, b};
    }

    @Override
    int writes() {
        return out;
    }
}
