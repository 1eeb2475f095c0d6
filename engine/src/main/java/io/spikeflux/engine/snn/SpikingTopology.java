package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.AveragePool;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.Operator;
import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.graph.MaxPool;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The neural layers of a network and how they feed each other through linear operators: what
 * threshold balancing and the residual rules of the paper need to know about the graph.
 */
public final class SpikingTopology {

    /** Index standing for the network input in {@link #feeders(int)}. */
    public static final int INPUT = -1;

    private final Network network;
    private final List<NeuralLayer> layers;
    /** Neural layer producing each value, or -1 (input) / -2 (not a neural output). */
    private final int[] layerOfValue;

    public SpikingTopology(Network network) {
        this.network = network;
        this.layers = new ArrayList<>();
        this.layerOfValue = new int[network.valueCount()];
        java.util.Arrays.fill(layerOfValue, -2);
        layerOfValue[0] = INPUT;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < network.nodes().size(); i++) {
            Node n = network.nodes().get(i);
            if (n.operator() instanceof Relu relu) {
                layerOfValue[n.output()] = layers.size();
                layers.add(new NeuralLayer(unique(names, layerName(n.inputs()[0])), i, n.inputs()[0],
                        n.shape().size(), false, relu.cap()));
            } else if (n.operator() instanceof MaxPool && !carriesSpikes(n.inputs()[0])) {
                throw new NoSpikingFormException("max pooling node '" + n.name() + "' pools currents, not spikes: "
                        + "a spiking max pool needs a ReLU right before it");
            }
        }
        int out = network.outputValue();
        layers.add(new NeuralLayer(unique(names, layerName(out)), -1, out, network.shapeOf(out).size(), true,
                Float.POSITIVE_INFINITY));
    }

    /** Whether a value is spikes in the SNN: the input, a ReLU's output, or such spikes pooled or flattened. */
    private boolean carriesSpikes(int value) {
        Node producer = network.producerOf(value);
        if (producer == null || producer.operator() instanceof Relu) {
            return true;
        }
        return (producer.operator() instanceof MaxPool || producer.operator() instanceof io.spikeflux.engine.graph.Reshape)
                && carriesSpikes(producer.inputs()[0]);
    }

    /** Names a neural layer after the node computing its input, e.g. {@code /conv1/Conv} -> conv1. */
    private String layerName(int value) {
        Node producer = network.producerOf(value);
        if (producer == null) {
            return "input";
        }
        String n = producer.name().replaceFirst("^/", "");
        int slash = n.lastIndexOf('/');
        if (slash > 0) {
            n = n.substring(0, slash);
        }
        return n.replace('/', '.');
    }

    private static String unique(Set<String> used, String name) {
        String candidate = name;
        for (int k = 2; !used.add(candidate); k++) {
            candidate = name + "_" + k;
        }
        return candidate;
    }

    public Network network() {
        return network;
    }

    public List<NeuralLayer> layers() {
        return layers;
    }

    public int indexOf(String layerName) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layerName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The neural layers (or {@link #INPUT}) whose spikes reach layer {@code i} through linear
     * operators only: lambda_in of threshold balancing is taken over these.
     */
    public Set<Integer> feeders(int i) {
        return feedersOfValue(layers.get(i).inputValue());
    }

    /** Same as {@link #feeders(int)} for any value, e.g. the input of a linear node. */
    public Set<Integer> feedersOfValue(int value) {
        Set<Integer> result = new TreeSet<>();
        collect(value, result);
        return result;
    }

    private void collect(int value, Set<Integer> out) {
        int layer = layerOfValue[value];
        if (layer != -2) {
            out.add(layer);
            return;
        }
        for (int in : network.producerOf(value).inputs()) {
            collect(in, out);
        }
    }

    /**
     * The neural layer whose spikes reach {@code value} through pooling and flattening only, or -1
     * (the input, a junction, a layer's own input current).
     */
    public int spikeSource(int value) {
        int layer = layerOfValue[value];
        if (layer >= 0 || layer == INPUT) {
            return layer >= 0 ? layer : -1;
        }
        Node p = network.producerOf(value);
        Operator op = p.operator();
        return op instanceof MaxPool || op instanceof AveragePool || op instanceof Reshape ? spikeSource(p.inputs()[0]) : -1;
    }

    /** The neural layer driven by {@code value} (its input current), or -1. */
    public int layerDrivenBy(int value) {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).inputValue() == value) {
                return l;
            }
        }
        return -1;
    }

    /**
     * The node whose output current a per-channel shift of layer {@code l}'s input is added to:
     * the Conv or dense layer driving it, or for a junction driving it, the junction's first input
     * made by a Conv or dense layer; -1 when there is none.
     */
    public int currentShiftNode(int l) {
        int node = shiftNodeOf(l);
        for (int k = 0; k < layers.size() && node >= 0; k++) {
            if (k != l && shiftNodeOf(k) == node) {
                return -1; // one current for two layers cannot be corrected for each
            }
        }
        return node;
    }

    private int shiftNodeOf(int l) {
        int value = layers.get(l).inputValue();
        Node driver = network.producerOf(value);
        if (driver == null) {
            return -1;
        }
        if (driver.operator() instanceof Conv2d || driver.operator() instanceof Dense) {
            return network.nodes().indexOf(driver);
        }
        if (driver.operator() instanceof Add) {
            for (int in : driver.inputs()) {
                Node p = network.producerOf(in);
                if (p != null && (p.operator() instanceof Conv2d || p.operator() instanceof Dense)) {
                    return network.nodes().indexOf(p);
                }
            }
        }
        return -1;
    }

    /** The channels of layer {@code l}'s input a current shift has one value for, or -1 when it takes none. */
    public int currentShiftChannels(int l) {
        if (currentShiftNode(l) < 0) {
            return -1;
        }
        var shape = network.shapeOf(layers.get(l).inputValue());
        return shape.isFlat() ? shape.size() : shape.channels();
    }

    /**
     * Whether layer {@code l} can be normalised channel by channel: a hidden layer outside residual
     * stages, driven by a Conv or dense layer alone, whose spikes reach only Conv or dense layers
     * (through pooling and flattening), so that each channel's scale can be folded into the
     * weights on both sides.
     */
    public boolean channelWiseEligible(int l) {
        NeuralLayer layer = layers.get(l);
        if (layer.output() || residualLayers().contains(l)) {
            return false;
        }
        Node driver = network.producerOf(layer.inputValue());
        if (driver == null || !(driver.operator() instanceof Conv2d || driver.operator() instanceof Dense)
                || layerDrivenBy(layer.inputValue()) != l) {
            return false;
        }
        for (Node n : network.nodes()) {
            for (int in : n.inputs()) {
                if (spikeSource(in) == l && !(n.operator() instanceof Conv2d || n.operator() instanceof Dense
                        || n.operator() instanceof MaxPool || n.operator() instanceof AveragePool
                        || n.operator() instanceof Reshape)) {
                    return false;
                }
            }
        }
        return spikeSource(network.outputValue()) != l;
    }

    /**
     * Layers inside residual stages (paper section 6): after the input of the first residual block
     * up to the ReLU of the last junction. Empty for plain networks.
     */
    public Set<Integer> residualLayers() {
        int firstAdd = -1;
        int lastAdd = -1;
        for (int i = 0; i < network.nodes().size(); i++) {
            if (network.nodes().get(i).operator() instanceof Add) {
                if (firstAdd < 0) {
                    firstAdd = i;
                }
                lastAdd = i;
            }
        }
        Set<Integer> result = new TreeSet<>();
        if (firstAdd < 0) {
            return result;
        }
        // The block input: the earliest neural layer feeding the first junction.
        int blockInputNode = Integer.MAX_VALUE;
        for (int f : feedersOfValue(network.nodes().get(firstAdd).output())) {
            blockInputNode = Math.min(blockInputNode, f == INPUT ? -1 : layers.get(f).nodeIndex());
        }
        int lastJunctionRelu = Integer.MAX_VALUE;
        for (NeuralLayer l : layers) {
            if (!l.output() && l.nodeIndex() > lastAdd) {
                lastJunctionRelu = Math.min(lastJunctionRelu, l.nodeIndex());
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            NeuralLayer l = layers.get(i);
            if (!l.output() && l.nodeIndex() > blockInputNode && l.nodeIndex() <= lastJunctionRelu) {
                result.add(i);
            }
        }
        return result;
    }
}
