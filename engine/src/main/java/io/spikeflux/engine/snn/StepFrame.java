package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;

/**
 * One time step on its way through the stage groups of a pipelined network: the step's input and
 * the values that later groups read, as copies owned by the frame (so a group on another thread
 * never sees a buffer its producer is already overwriting), plus the step's counters so far.
 */
final class StepFrame {

    final SpikeStep input;
    /** Per buffer slot, the value handed over, or null. */
    final SpikeStep[] handed;
    final int[] layerSpikes;
    long synapticOps;
    int[] outputSpikes = new int[0];
    int prediction = -1;

    StepFrame(SpikeStep input, int slots, int layers) {
        this.input = input;
        this.handed = new SpikeStep[slots];
        this.layerSpikes = new int[layers];
    }

    StepOutcome outcome() {
        return new StepOutcome(input.step(), input.arrivalNanos(), input.reset(), outputSpikes, prediction,
                layerSpikes, synapticOps);
    }
}
