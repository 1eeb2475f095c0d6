package io.spikeflux.engine.graph;

/**
 * Flatten or Reshape to [N, features]. Storage is channel-last throughout, so this is a view:
 * the importer permutes the weights of the dense layer that follows instead of moving data.
 */
public record Reshape(TensorShape from, TensorShape to) implements Operator {
    @Override
    public String describe() {
        return "Flatten";
    }
}
