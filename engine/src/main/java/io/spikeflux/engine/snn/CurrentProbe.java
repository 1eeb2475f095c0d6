package io.spikeflux.engine.snn;

/** Sees the input current of one neural layer at every step, before integration (SPIKE-NORM). */
@FunctionalInterface
public interface CurrentProbe {
    void observe(float[] current, int size);
}
