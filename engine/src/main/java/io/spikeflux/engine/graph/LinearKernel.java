package io.spikeflux.engine.graph;

/**
 * A linear operator's inner loop for one stream, with whatever scratch memory it needs (made once
 * per stream by {@link LinearOperator#newKernel()}, never shared between threads).
 */
@FunctionalInterface
public interface LinearKernel {

    /**
     * Adds the contributions of the {@code count} active inputs {@code active[0..count)}
     * (ascending indices; their values in {@code input}) to {@code output}, which holds the
     * bias currents. One call per layer and step: the loop over spikes lives inside the kernel,
     * where the JIT sees one concrete operator.
     *
     * @return the accumulate operations this cost (synaptic operations; 0 for pooling)
     */
    long propagate(float[] input, int[] active, int count, float[] output);
}
