package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.Add;
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
                throw new IllegalArgumentException("max pooling node '" + n.name() + "' pools currents, not spikes: "
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
