package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.LinearOperator;

/** Conv, dense or pooling, event-driven: each non-zero input scatters its weights into the output currents. */
final class LinearStage extends LayerStage {

    private final LinearOperator op;
    private final int in;
    private final int out;
    private final boolean synaptic;

    LinearStage(LinearOperator op, int inSlot, int outSlot) {
        this.op = op;
        this.in = inSlot;
        this.out = outSlot;
        this.synaptic = op.isSynaptic();
    }

    @Override
    void run(SpikingNetwork net) {
        ActivationBuffers b = net.buffers();
        float[] x = b.values(in);
        int n = b.activeCount(in);
        int[] idx = b.activeIndices(in);
        float[] y = b.values(out);
        op.initOutput(y);
        long ops = 0;
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            op.scatter(i, x[i], y);
            if (synaptic) {
                ops += op.fanOut(i);
            }
        }
        net.countSynapticOps(ops);
        b.markDense(out);
    }
}
