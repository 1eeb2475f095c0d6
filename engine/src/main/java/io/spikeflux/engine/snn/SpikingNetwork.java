package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;
import io.spikeflux.engine.graph.Reshape;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A converted network running on spikes: one operator stage per ANN node, applied in topological
 * order within each time step, so layer i+1 integrates what layer i emitted in the same step
 * (pseudo-simultaneous propagation). Linear stages are event-driven: only non-zero inputs scatter
 * their weights. An instance holds the state of one stream (membranes, counts) and is not
 * thread-safe; run one per thread, sample or sensor.
 */
public final class SpikingNetwork {

    private final SpikingTopology topology;
    private final SnnParameters parameters;
    /** Storage slot of each value; a reshape shares its input's slot. */
    private final int[] slotOf;
    private final float[][] values;
    private final int[][] active;
    /** Number of active indices per slot, or -1 when the slot is dense and unindexed. */
    private final int[] activeCount;
    private final IntegrateAndFireLayer[] neurons;
    private final List<Stage> stages = new ArrayList<>();
    private final int[] outputCounts;
    private final long[] layerSpikes;
    private final IntegrateAndFireLayer outputLayer;

    private int step = -1;
    private long inputArrivalNanos;
    private int inputStep;
    private long synapticOps;
    private int lastStage;
    private int probedLayer = -1;
    private CurrentProbe probe;

    public SpikingNetwork(SpikingTopology topology, SnnParameters parameters) {
        this.topology = topology;
        this.parameters = parameters;
        Network net = topology.network();
        List<NeuralLayer> layers = topology.layers();
        if (parameters.thresholds().length != layers.size()) {
            throw new IllegalArgumentException("expected " + layers.size() + " thresholds, got "
                    + parameters.thresholds().length);
        }
        slotOf = new int[net.valueCount()];
        for (int v = 0; v < slotOf.length; v++) {
            Node producer = net.producerOf(v);
            slotOf[v] = producer != null && producer.operator() instanceof Reshape ? slotOf[producer.inputs()[0]] : v;
        }
        values = new float[net.valueCount()][];
        active = new int[net.valueCount()][];
        activeCount = new int[net.valueCount()];
        for (int v = 0; v < slotOf.length; v++) {
            if (slotOf[v] == v) {
                int size = net.shapeOf(v).size();
                values[v] = new float[size];
                active[v] = new int[size];
            }
        }
        neurons = new IntegrateAndFireLayer[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            NeuralLayer l = layers.get(i);
            neurons[i] = new IntegrateAndFireLayer(l.name(), l.size(), parameters.threshold(i), parameters.reset());
        }
        int layerIndex = 0;
        for (int i = 0; i < net.nodes().size(); i++) {
            Node n = net.nodes().get(i);
            if (n.operator() instanceof LinearOperator op) {
                stages.add(new LinearStage(op.withBiasScaled(parameters.biasScale()[i]), slot(n.inputs()[0]), slot(n.output())));
            } else if (n.operator() instanceof Add) {
                stages.add(new AddStage(slot(n.inputs()[0]), slot(n.inputs()[1]), slot(n.output())));
            } else if (n.operator() instanceof Relu) {
                stages.add(new FireStage(layerIndex++, slot(n.inputs()[0]), slot(n.output())));
            }
        }
        outputLayer = neurons[layers.size() - 1];
        stages.add(new FireStage(layers.size() - 1, slot(net.outputValue()), -1));
        outputCounts = new int[outputLayer.size()];
        layerSpikes = new long[layers.size()];
        lastStage = stages.size() - 1;
        resetState();
    }

    private int slot(int value) {
        return slotOf[value];
    }

    public SpikingTopology topology() {
        return topology;
    }

    public SnnParameters parameters() {
        return parameters;
    }

    /** Starts a new sample: membranes to their initial value, counters to zero. */
    public void resetState() {
        for (IntegrateAndFireLayer l : neurons) {
            l.resetState(parameters.initialFraction());
        }
        for (int v = 0; v < values.length; v++) {
            if (values[v] != null) {
                Arrays.fill(values[v], 0f);
                activeCount[v] = 0;
            }
        }
        Arrays.fill(outputCounts, 0);
        Arrays.fill(layerSpikes, 0);
        synapticOps = 0;
        step = -1;
    }

    /**
     * Simulates only up to neural layer {@code layer} and shows its input current to {@code probe}
     * each step; later layers are skipped (SPIKE-NORM calibrates layer by layer).
     */
    public void probe(int layer, CurrentProbe currentProbe) {
        this.probedLayer = layer;
        this.probe = currentProbe;
        for (int s = 0; s < stages.size(); s++) {
            if (stages.get(s) instanceof FireStage f && f.layer == layer) {
                lastStage = s;
            }
        }
    }

    /** Advances one time step with this input and returns this network for inspection. */
    public SpikingNetwork step(SpikeStep input) {
        load(input);
        for (int s = 0; s <= lastStage; s++) {
            stages.get(s).apply(this);
        }
        return this;
    }

    /**
     * The same step as a chain of Reactor operators, one per layer stage: offline evaluation,
     * calibration and live streams all run through these. Emits this network after each step.
     */
    public Flux<SpikingNetwork> process(Flux<SpikeStep> steps) {
        Flux<SpikingNetwork> flux = steps.map(this::load);
        for (int s = 0; s <= lastStage; s++) {
            flux = flux.map(stages.get(s));
        }
        return flux;
    }

    private SpikingNetwork load(SpikeStep input) {
        float[] in = values[0];
        int[] idx = active[0];
        int n = activeCount[0];
        for (int k = 0; k < n; k++) {
            in[idx[k]] = 0f;
        }
        int count = input.count();
        int[] src = input.indices();
        n = 0;
        for (int k = 0; k < count; k++) {
            int i = src[k];
            if (in[i] == 0f) {
                idx[n++] = i;
            }
            in[i] += input.valueAt(k);
        }
        activeCount[0] = n;
        inputArrivalNanos = input.arrivalNanos();
        inputStep = input.step();
        step++;
        return this;
    }

    /** When the newest event of the last step's input arrived (live streams), or 0. */
    public long inputArrivalNanos() {
        return inputArrivalNanos;
    }

    /** The step number the last input carried (live streams number steps by sensor time). */
    public int inputStep() {
        return inputStep;
    }

    /** The step last simulated, from 0. */
    public int currentStep() {
        return step;
    }

    /** Output spikes per class since the last reset. */
    public int[] outputCounts() {
        return outputCounts;
    }

    public int outputSpikeCount() {
        return outputLayer.spikeCount();
    }

    /** Class index of the k-th output spike of the last step. */
    public int outputSpike(int k) {
        return outputLayer.spikes()[k];
    }

    public float outputMembrane(int cls) {
        return outputLayer.membrane(cls);
    }

    /** Argmax of output spike counts; ties (and silence) broken by membrane potential. */
    public int prediction() {
        return predict(outputCounts, outputLayer);
    }

    static int predict(int[] counts, IntegrateAndFireLayer out) {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best] || (counts[c] == counts[best] && out.membrane(c) > out.membrane(best))) {
                best = c;
            }
        }
        return best;
    }

    public long spikesOfLayer(int layer) {
        return layerSpikes[layer];
    }

    public long synapticOps() {
        return synapticOps;
    }

    /** One operator stage; applied to this network's state once per time step. */
    private abstract static class Stage implements UnaryOperator<SpikingNetwork> {
    }

    private static final class LinearStage extends Stage {
        private final LinearOperator op;
        private final int in;
        private final int out;
        private final boolean synaptic;

        LinearStage(LinearOperator op, int in, int out) {
            this.op = op;
            this.in = in;
            this.out = out;
            this.synaptic = op.isSynaptic();
        }

        @Override
        public SpikingNetwork apply(SpikingNetwork net) {
            float[] x = net.values[in];
            int[] idx = net.active[in];
            int n = net.activeCount[in];
            if (n < 0) {
                n = 0;
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != 0f) {
                        idx[n++] = i;
                    }
                }
                net.activeCount[in] = n;
            }
            float[] y = net.values[out];
            op.initOutput(y);
            long ops = 0;
            for (int k = 0; k < n; k++) {
                int i = idx[k];
                op.scatter(i, x[i], y);
                if (synaptic) {
                    ops += op.fanOut(i);
                }
            }
            net.synapticOps += ops;
            net.activeCount[out] = -1;
            return net;
        }
    }

    private static final class AddStage extends Stage {
        private final int a;
        private final int b;
        private final int out;

        AddStage(int a, int b, int out) {
            this.a = a;
            this.b = b;
            this.out = out;
        }

        @Override
        public SpikingNetwork apply(SpikingNetwork net) {
            float[] x = net.values[a];
            float[] y = net.values[b];
            float[] z = net.values[out];
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] + y[i];
            }
            net.activeCount[out] = -1;
            return net;
        }
    }

    private static final class FireStage extends Stage {
        private final int layer;
        private final int in;
        private final int out;

        FireStage(int layer, int in, int out) {
            this.layer = layer;
            this.in = in;
            this.out = out;
        }

        @Override
        public SpikingNetwork apply(SpikingNetwork net) {
            float[] current = net.values[in];
            IntegrateAndFireLayer neurons = net.neurons[layer];
            if (layer == net.probedLayer) {
                net.probe.observe(current, neurons.size());
            }
            int n = neurons.integrate(current);
            net.layerSpikes[layer] += n;
            int[] spikes = neurons.spikes();
            if (out < 0) {
                for (int k = 0; k < n; k++) {
                    net.outputCounts[spikes[k]]++;
                }
                return net;
            }
            float[] s = net.values[out];
            int[] idx = net.active[out];
            int old = net.activeCount[out];
            for (int k = 0; k < old; k++) {
                s[idx[k]] = 0f;
            }
            for (int k = 0; k < n; k++) {
                s[spikes[k]] = 1f;
            }
            System.arraycopy(spikes, 0, idx, 0, n);
            net.activeCount[out] = n;
            return net;
        }
    }
}
