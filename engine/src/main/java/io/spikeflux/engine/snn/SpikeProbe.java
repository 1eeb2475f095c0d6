package io.spikeflux.engine.snn;

/** Sees the spikes of one neural layer at every step (layer-wise correction measures firing rates). */
@FunctionalInterface
public interface SpikeProbe {
    /** The indices (channel-last) of the {@code n} neurons that fired this step. */
    void observe(int[] spikes, int n);
}
