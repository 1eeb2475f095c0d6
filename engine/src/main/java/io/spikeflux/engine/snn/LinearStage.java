package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.LinearOperator;

/** Conv, dense or pooling, event-driven: only this step's non-zero inputs contribute to the output currents. */
final class LinearStage extends LayerStage {

    final LinearOperator op;
    private final int in;
    private final int out;
    /** Index of this stage's kernel in its group's state. */
    final int kernel;
    /**
     * The neural layer whose parameters are folded into this stage, or -1: the layer it drives
     * (channel scales) or whose current shift it carries (a junction's Conv branch).
     */
    final int drives;

    LinearStage(LinearOperator op, int inSlot, int outSlot, int kernel, int drives) {
        this.op = op;
        this.in = inSlot;
        this.out = outSlot;
        this.kernel = kernel;
        this.drives = drives;
    }

    @Override
    void run(StageGroup state) {
        ActivationBuffers b = state.buffers();
        int[] idx = b.activeIndices(in);
        float[] y = b.values(out);
        op.initOutput(y);
        state.countSynapticOps(state.kernel(kernel).propagate(b.values(in), idx, b.activeCount(in), y));
        b.markDense(out);
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
