package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.MaxPool;

/** Spiking max pooling: each window passes on the spikes of its most active input so far. */
final class MaxPoolStage extends LayerStage {

    final MaxPool op;
    private final int in;
    private final int out;
    /** Index of this stage's gate in its group's state. */
    final int gate;

    MaxPoolStage(MaxPool op, int inSlot, int outSlot, int gate) {
        this.op = op;
        this.in = inSlot;
        this.out = outSlot;
        this.gate = gate;
    }

    @Override
    void run(StageGroup state) {
        ActivationBuffers b = state.buffers();
        MaxPool.Gate g = state.gate(gate);
        int n = g.step(b.values(in), b.activeIndices(in), b.activeCount(in));
        b.setSparse(out, g.passedIndices(), g.passedValues(), n);
    }

    @Override
    int[] reads() {
        return new int[]{in};
    }

    @Override
    int writes() {
        return out;
    }
}
