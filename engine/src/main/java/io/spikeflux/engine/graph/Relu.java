package io.spikeflux.engine.graph;

/**
 * A ReLU in the ANN; an integrate-and-fire layer in the SNN. A finite {@code cap} makes it a
 * clipped ReLU ({@code min(max(x, 0), cap)}, e.g. ReLU6): the neuron's rate saturates at one spike
 * per step anyway, so the cap only bounds the layer's scale when thresholds are balanced.
 */
public record Relu(TensorShape shape, float cap) implements Operator {

    public Relu {
        if (!(cap > 0f)) {
            throw new IllegalArgumentException("ReLU cap must be positive, got " + cap);
        }
    }

    public Relu(TensorShape shape) {
        this(shape, Float.POSITIVE_INFINITY);
    }

    public boolean isCapped() {
        return cap != Float.POSITIVE_INFINITY;
    }

    @Override
    public String describe() {
        return isCapped() ? "Relu (cap " + cap + ")" : "Relu";
    }
}
