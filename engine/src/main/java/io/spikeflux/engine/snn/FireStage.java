package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.LinearKernel;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.SpikeMapCurrents;

/**
 * Integrate-and-fire neurons where the ANN had a ReLU (or the output layer, {@code outSlot < 0}).
 * <p>
 * A first layer driven by a convolution of the input that has a pattern table (Poisson frames
 * into a small window) runs that convolution itself: its neurons integrate the table's rows
 * for the step's patterns, and the currents are written out only when a probe must see them or
 * the input is not a spike map.
 * <p>
 * Neurons after a residual junction read its two branches and add them as they integrate, so
 * the junction's sum is written out only when a probe must see it.
 */
final class FireStage extends LayerStage {

    final int layer;
    private final int in;
    private final int out;
    /** The convolution run by this stage, or null. */
    final LinearOperator inputConvolution;
    private final int inputSlot;
    /** Index of that convolution's kernel in the group's state, or -1. */
    final int kernel;
    /** The junction's branches whose sum is the current in {@code in}, or -1. */
    private final int branchA;
    private final int branchB;

    FireStage(int layer, int inSlot, int outSlot) {
        this(layer, inSlot, outSlot, null, -1, -1);
    }

    /**
     * @param sumSlot the junction's output, written only when a probe watches this layer
     */
    static FireStage afterJunction(int layer, int aSlot, int bSlot, int sumSlot, int outSlot) {
        return new FireStage(layer, sumSlot, outSlot, null, -1, -1, aSlot, bSlot);
    }

    /**
     * @param inputConvolution a convolution reading {@code inputSlot} and writing {@code inSlot},
     *                         which nothing else reads, run by this stage
     */
    FireStage(int layer, int inSlot, int outSlot, LinearOperator inputConvolution, int inputSlot, int kernel) {
        this(layer, inSlot, outSlot, inputConvolution, inputSlot, kernel, -1, -1);
    }

    private FireStage(int layer, int inSlot, int outSlot, LinearOperator inputConvolution, int inputSlot, int kernel,
                      int branchA, int branchB) {
        this.branchA = branchA;
        this.branchB = branchB;
        this.layer = layer;
        this.in = inSlot;
        this.out = outSlot;
        this.inputConvolution = inputConvolution;
        this.inputSlot = inputSlot;
        this.kernel = kernel;
    }

    @Override
    void run(StageGroup state) {
        IntegrateAndFireLayer neurons = state.neurons(layer);
        int n;
        if (inputConvolution != null && patternsIntegrated(state, neurons)) {
            n = neurons.spikeCount();
        } else if (branchA >= 0 && !state.watches(layer)) {
            ActivationBuffers b = state.buffers();
            n = neurons.integrateSum(b.values(branchA), b.values(branchB));
        } else {
            float[] current = state.buffers().values(in);
            if (inputConvolution != null) {
                convolve(state, current);
            } else if (branchA >= 0) {
                JunctionStage.sum(state.buffers().values(branchA), state.buffers().values(branchB), current);
                state.buffers().markDense(in);
            }
            if (state.probe(layer, current, neurons.size())) {
                return; // a probed layer is the last stage run: nothing reads what it would fire
            }
            n = neurons.integrate(current);
        }
        state.probeSpikes(layer, neurons.spikes(), n);
        state.countSpikes(layer, neurons.spikes(), n, out < 0);
        if (out >= 0) {
            state.buffers().setSpikes(out, neurons.spikes(), n);
        }
    }

    /** Integrates the table's rows for the step's patterns, unless a probe watches or the table does not cover the step. */
    private boolean patternsIntegrated(StageGroup state, IntegrateAndFireLayer neurons) {
        if (!(state.kernel(kernel) instanceof SpikeMapCurrents.Kernel table) || state.watches(layer)) {
            return false;
        }
        ActivationBuffers b = state.buffers();
        int[] active = b.activeIndices(inputSlot);
        int count = b.activeCount(inputSlot);
        if (!table.scan(b.values(inputSlot), active, count)) {
            return false;
        }
        state.countSynapticOps(table.synapticOps(active, count));
        int[] patterns = table.patterns();
        neurons.integrateRows(table.table(), patterns, patterns.length, table.channels(), table.zeroRow());
        return true;
    }

    private void convolve(StageGroup state, float[] current) {
        ActivationBuffers b = state.buffers();
        LinearKernel k = state.kernel(kernel);
        inputConvolution.initOutput(current);
        state.countSynapticOps(k.propagate(b.values(inputSlot), b.activeIndices(inputSlot),
                b.activeCount(inputSlot), current));
        b.markDense(in);
    }

    boolean isOutput() {
        return out < 0;
    }

    @Override
    int[] reads() {
        if (branchA >= 0) {
            return new int[]{branchA, branchB};
        }
        return new int[]{inputConvolution != null ? inputSlot : in};
    }

    @Override
    int writes() {
        return out;
    }
}
