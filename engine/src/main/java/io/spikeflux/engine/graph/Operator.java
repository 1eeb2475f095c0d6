package io.spikeflux.engine.graph;

/** One operation of the imported network. Implementations are immutable. */
public sealed interface Operator permits LinearOperator, Add, Relu, Reshape, MaxPool {

    /** Short operator name shown to users, e.g. {@code Conv 3x3/1}. */
    String describe();

    /** Trainable parameters (weights and biases). */
    default long parameters() {
        return 0;
    }

    /** Multiply-accumulates of one ANN inference through this operator. */
    default long macs() {
        return 0;
    }
}
