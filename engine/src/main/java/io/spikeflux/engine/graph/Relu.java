package io.spikeflux.engine.graph;

/** A ReLU in the ANN; an integrate-and-fire layer in the SNN. */
public record Relu(TensorShape shape) implements Operator {
    @Override
    public String describe() {
        return "Relu";
    }
}
