package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.LinearKernel;
import io.spikeflux.engine.graph.MaxPool;

import java.util.Arrays;

/**
 * The state of one subscription for a contiguous group of stages: activation buffers, membranes,
 * kernel scratch and counters, touched by one thread at a time. A network that is not pipelined
 * runs all its stages in one group.
 */
final class StageGroup {

    private final LayerStage[] stages;
    private final ActivationBuffers buffers;
    private final IntegrateAndFireLayer[] neurons;
    private final LinearKernel[] kernels;
    private final MaxPool.Gate[] gates;
    private final float initialFraction;
    /** Per layer, the per-channel initial membrane shifts, or null. */
    private final float[][] initialShift;
    /** Slots read here but written before this group: loaded from the frame each step. */
    private final int[] imports;
    /** Slots written here and read by a later group: copied into the frame each step. */
    private final int[] exports;
    private final int probedLayer;
    private final CurrentProbe probe;
    private final SpikeProbe spikeProbe;
    private final int observedLayer;
    private final CurrentProbe observer;
    private final int[] outputCounts;
    private IntegrateAndFireLayer outputLayer;
    private StepFrame frame;

    StageGroup(SpikingNetwork network, PipelinePlan plan, int group) {
        LayerStage[] all = network.stages();
        int from = plan.from(group);
        int to = plan.to(group);
        this.stages = Arrays.copyOfRange(all, from, to);
        this.buffers = new ActivationBuffers(network.topology().network());
        SnnParameters p = network.parameters();
        this.initialFraction = p.initialFraction();
        this.initialShift = p.initialShift();
        this.neurons = new IntegrateAndFireLayer[network.topology().layers().size()];
        this.kernels = new LinearKernel[all.length];
        this.gates = new MaxPool.Gate[all.length];
        int[] outputCountsOrNull = null;
        for (LayerStage s : stages) {
            if (s instanceof FireStage f) {
                var layer = network.topology().layers().get(f.layer);
                neurons[f.layer] = new IntegrateAndFireLayer(layer.name(), layer.size(), p.threshold(f.layer), p.reset());
                if (f.inputConvolution != null) {
                    kernels[f.kernel] = f.inputConvolution.newKernel();
                }
                if (f.isOutput()) {
                    outputLayer = neurons[f.layer];
                    outputCountsOrNull = new int[layer.size()];
                }
            } else if (s instanceof LinearStage l) {
                kernels[l.kernel] = l.op.newKernel();
            } else if (s instanceof MaxPoolStage m) {
                gates[m.gate] = m.op.newGate();
            }
        }
        this.outputCounts = outputCountsOrNull;
        this.imports = slotsReadBefore(all, from, to);
        this.exports = slotsReadAfter(all, from, to);
        this.probedLayer = network.probedLayer();
        boolean probedHere = probedLayer >= 0 && neurons[probedLayer] != null;
        this.probe = probedHere ? network.newProbe() : null;
        this.spikeProbe = probedHere ? network.newSpikeProbe() : null;
        this.observedLayer = network.observedLayer();
        this.observer = observedLayer >= 0 && neurons[observedLayer] != null ? network.newObserver() : null;
        resetState();
    }

    private static int[] slotsReadBefore(LayerStage[] all, int from, int to) {
        boolean[] written = new boolean[slotCount(all)];
        boolean[] imported = new boolean[written.length];
        for (int s = from; s < to; s++) {
            for (int r : all[s].reads()) {
                if (!written[r]) {
                    imported[r] = true;
                }
            }
            if (all[s].writes() >= 0) {
                written[all[s].writes()] = true;
            }
        }
        return indicesOf(imported);
    }

    /** Slots written by stages {@code [from, to)} and read by a stage at or after {@code to}. */
    static int[] slotsReadAfter(LayerStage[] all, int from, int to) {
        boolean[] written = new boolean[slotCount(all)];
        boolean[] exported = new boolean[written.length];
        for (int s = from; s < to; s++) {
            if (all[s].writes() >= 0) {
                written[all[s].writes()] = true;
            }
        }
        for (int s = to; s < all.length; s++) {
            for (int r : all[s].reads()) {
                if (written[r]) {
                    exported[r] = true;
                }
            }
        }
        return indicesOf(exported);
    }

    static int slotCount(LayerStage[] all) {
        int max = 0;
        for (LayerStage s : all) {
            max = Math.max(max, s.writes());
            for (int r : s.reads()) {
                max = Math.max(max, r);
            }
        }
        return max + 1;
    }

    private static int[] indicesOf(boolean[] flags) {
        int n = 0;
        int[] out = new int[flags.length];
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Runs this group's stages for the frame's step and hands the frame on. */
    StepFrame run(StepFrame f) {
        return run(f, null);
    }

    /** {@link #run(StepFrame)}, adding each stage's wall time to {@code nanos} when given. */
    StepFrame run(StepFrame f, long[] nanos) {
        frame = f;
        if (f.input.reset()) {
            resetState();
        }
        for (int slot : imports) {
            buffers.load(slot, slot == 0 ? f.input : f.handed(slot));
        }
        if (nanos == null) {
            for (LayerStage s : stages) {
                s.run(this);
            }
        } else {
            for (int k = 0; k < stages.length; k++) {
                long start = System.nanoTime();
                stages[k].run(this);
                nanos[k] += System.nanoTime() - start;
            }
        }
        for (int slot : exports) {
            f.hand(slot, buffers.snapshot(slot, f.input.step()));
        }
        if (outputLayer != null) {
            f.outputSpikes(outputLayer.spikes(), outputLayer.spikeCount());
            f.prediction = predict(outputCounts, outputLayer);
        }
        frame = null;
        return f;
    }

    private void resetState() {
        for (int l = 0; l < neurons.length; l++) {
            if (neurons[l] != null) {
                neurons[l].resetState(initialFraction, initialShift[l]);
            }
        }
        buffers.clear();
        for (MaxPool.Gate g : gates) {
            if (g != null) {
                g.reset();
            }
        }
        if (outputCounts != null) {
            Arrays.fill(outputCounts, 0);
        }
    }

    /** Argmax of output spike counts; ties (and silence) broken by membrane potential. */
    static int predict(int[] counts, IntegrateAndFireLayer out) {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best] || (counts[c] == counts[best] && out.membrane(c) > out.membrane(best))) {
                best = c;
            }
        }
        return best;
    }

    ActivationBuffers buffers() {
        return buffers;
    }

    IntegrateAndFireLayer neurons(int layer) {
        return neurons[layer];
    }

    LinearKernel kernel(int index) {
        return kernels[index];
    }

    MaxPool.Gate gate(int index) {
        return gates[index];
    }

    void countSynapticOps(long ops) {
        frame.synapticOps += ops;
    }

    /**
     * Shows a layer's current to the probe if it is the probed layer, and says so (it is not to
     * fire), or to the observer if it is the observed one (it fires as usual).
     */
    boolean probe(int layer, float[] current, int size) {
        if (layer == probedLayer && probe != null) {
            probe.observe(current, size);
            return true;
        }
        if (layer == observedLayer && observer != null) {
            observer.observe(current, size);
        }
        return false;
    }

    /** Whether a probe or an observer sees this layer's current. */
    boolean watches(int layer) {
        return (layer == probedLayer && probe != null) || (layer == observedLayer && observer != null);
    }

    void probeSpikes(int layer, int[] spikes, int n) {
        if (layer == probedLayer && spikeProbe != null) {
            spikeProbe.observe(spikes, n);
        }
    }

    void countSpikes(int layer, int[] spikes, int n, boolean output) {
        frame.layerSpikes[layer] += n;
        if (output) {
            for (int k = 0; k < n; k++) {
                outputCounts[spikes[k]]++;
            }
        }
    }
}
