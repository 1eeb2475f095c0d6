package io.spikeflux.engine.graph;

/** Element-wise sum of two tensors of one shape: a residual junction. */
public record Add(TensorShape shape) implements Operator {
    @Override
    public String describe() {
        return "Add";
    }
}
