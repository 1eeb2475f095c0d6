package io.spikeflux.engine.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An imported network: nodes in topological order, with shapes inferred and checked.
 *
 * @param name        model name (file name without extension)
 * @param inputShape  one sample, channel-last
 * @param nodes       topological order; node i writes value {@code nodes.get(i).output()}
 * @param outputValue value holding the logits
 * @param metadata    the ONNX {@code metadata_props}, in the model file's order
 * @param classNames  from the {@code classes} metadata, or "0", "1", ...
 */
public record Network(String name, TensorShape inputShape, List<Node> nodes, int outputValue,
                      Map<String, String> metadata, List<String> classNames) {

    public Network {
        nodes = List.copyOf(nodes);
        // in the file's order: Map.copyOf's order changes from one JVM run to the next, and so
        // did inspect's listing of the same model
        metadata.forEach((k, v) -> {
            java.util.Objects.requireNonNull(k, "metadata key");
            java.util.Objects.requireNonNull(v, "metadata value");
        });
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        classNames = List.copyOf(classNames);
    }

    /** Number of values (the input plus one per node). */
    public int valueCount() {
        return nodes.size() + 1;
    }

    public TensorShape shapeOf(int value) {
        return value == 0 ? inputShape : nodes.get(value - 1).shape();
    }

    public Node producerOf(int value) {
        return value == 0 ? null : nodes.get(value - 1);
    }

    public long macs() {
        return nodes.stream().mapToLong(n -> n.operator().macs()).sum();
    }

    public long parameters() {
        return nodes.stream().mapToLong(n -> n.operator().parameters()).sum();
    }

    public int classCount() {
        return shapeOf(outputValue).size();
    }

    /** True when the model was trained on event counts rather than frames. */
    public boolean isEventModel() {
        return "events".equals(metadata.get("input"));
    }
}
