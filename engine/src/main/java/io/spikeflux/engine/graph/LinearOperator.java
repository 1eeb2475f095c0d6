package io.spikeflux.engine.graph;

/**
 * A linear map from one input tensor to one output tensor, applied event-driven: every non-zero
 * input element scatters its weighted contribution into the output. The same code serves the
 * dense ANN pass (all non-zero inputs) and the spiking pass (this step's spikes only).
 */
public sealed interface LinearOperator extends Operator permits Conv2d, Dense, AveragePool {

    TensorShape inputShape();

    TensorShape outputShape();

    /** Starts a step's output: the constant bias current, or zeros. */
    void initOutput(float[] output);

    /** A kernel with its own scratch memory, for one stream (one thread at a time). */
    LinearKernel newKernel();

    /** Whether this operator adds a bias (a constant current in the SNN). */
    boolean hasBias();

    /** Multiplies the bias by {@code factor}; used to put biases on the scale of spike rates. */
    LinearOperator withBiasScaled(float factor);
}
