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
        float[] x = buffers.values(a);
        float[] y = buffers.values(b);
        float[] z = buffers.values(out);
        for (int i = 0; i < z.length; i++) {
            z[i] = x[i] + y[i];
        }
        buffers.markDense(out);
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
