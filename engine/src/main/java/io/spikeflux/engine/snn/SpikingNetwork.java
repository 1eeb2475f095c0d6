package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    private final ActivationBuffers buffers;
    private final IntegrateAndFireLayer[] neurons;
    private final List<LayerStage> stages = new ArrayList<>();
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
        buffers = new ActivationBuffers(net);
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
                stages.add(new JunctionStage(slot(n.inputs()[0]), slot(n.inputs()[1]), slot(n.output())));
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
        return buffers.slot(value);
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
        buffers.clear();
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
        buffers.loadInput(input);
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

    ActivationBuffers buffers() {
        return buffers;
    }

    IntegrateAndFireLayer neurons(int layer) {
        return neurons[layer];
    }

    void countSynapticOps(long ops) {
        synapticOps += ops;
    }

    void probe(int layer, float[] current, int size) {
        if (layer == probedLayer) {
            probe.observe(current, size);
        }
    }

    void countSpikes(int layer, int[] spikes, int n, boolean output) {
        layerSpikes[layer] += n;
        if (output) {
            for (int k = 0; k < n; k++) {
                outputCounts[spikes[k]]++;
            }
        }
    }
}
