package io.spikeflux.engine.ann;

import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.LinearKernel;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.MaxPool;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;
import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.kernel.Kernels;

/**
 * The plain float forward pass of the imported ANN: the reference every conversion is measured
 * against. Buffers are allocated once; one instance per thread.
 */
public final class AnnForwardPass {

    private static final Kernels KERNELS = Kernels.get();

    private final Network network;
    private final float[][] values;
    /** Non-zero indices of a linear node's input, rebuilt per node. */
    private final int[] active;
    /** Per value, the kernel of the linear node producing it. */
    private final LinearKernel[] kernels;

    public AnnForwardPass(Network network) {
        this.network = network;
        this.values = new float[network.valueCount()][];
        values[0] = new float[network.inputShape().size()];
        int largest = values[0].length;
        kernels = new LinearKernel[network.valueCount()];
        for (Node n : network.nodes()) {
            if (n.operator() instanceof LinearOperator op) {
                kernels[n.output()] = op.newKernel();
            }
            values[n.output()] = n.operator() instanceof Reshape
                    ? values[n.inputs()[0]]
                    : new float[n.shape().size()];
            largest = Math.max(largest, n.shape().size());
        }
        this.active = new int[largest];
    }

    /**
     * Runs one sample (channel-last) and returns the logits. The returned array and
     * {@link #value(int)} are reused by the next call.
     */
    public float[] run(float[] input) {
        if (input.length != values[0].length) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model expects "
                    + values[0].length + " " + network.inputShape());
        }
        System.arraycopy(input, 0, values[0], 0, input.length);
        for (Node n : network.nodes()) {
            float[] out = values[n.output()];
            if (n.operator() instanceof LinearOperator op) {
                float[] in = values[n.inputs()[0]];
                op.initOutput(out);
                int nonZero = KERNELS.nonZeroIndices(in, in.length, active);
                kernels[n.output()].propagate(in, active, nonZero, out);
            } else if (n.operator() instanceof Relu relu) {
                float[] in = values[n.inputs()[0]];
                float cap = relu.cap();
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.min(Math.max(0f, in[i]), cap);
                }
            } else if (n.operator() instanceof MaxPool pool) {
                pool.forward(values[n.inputs()[0]], out);
            } else if (n.operator() instanceof Add) {
                float[] x = values[n.inputs()[0]];
                float[] y = values[n.inputs()[1]];
                for (int i = 0; i < out.length; i++) {
                    out[i] = x[i] + y[i];
                }
            }
            // Reshape is a view sharing its input's array: nothing to compute.
        }
        return values[network.outputValue()];
    }

    /** Activation of a value from the last {@link #run}. */
    public float[] value(int value) {
        return values[value];
    }

    public static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
