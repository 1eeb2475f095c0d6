package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;

/**
 * One time step on its way through the stage groups of a pipelined network: the step's input and
 * the values that later groups read, as copies owned by the frame (so a group on another thread
 * never sees a buffer its producer is already overwriting), plus the step's counters so far.
 */
final class StepFrame {

    final SpikeStep input;
    private final int slots;
    /** Per buffer slot, the value handed over; made only when a pipelined stream hands one over. */
    private SpikeStep[] handed;
    final int[] layerSpikes;
    long synapticOps;
    int[] outputSpikes = new int[0];
    int prediction = -1;

    StepFrame(SpikeStep input, int slots, int layers) {
        this.input = input;
        this.slots = slots;
        this.layerSpikes = new int[layers];
    }

    void hand(int slot, SpikeStep value) {
        if (handed == null) {
            handed = new SpikeStep[slots];
        }
        handed[slot] = value;
    }

    SpikeStep handed(int slot) {
        return handed[slot];
    }

    /** The value handed over for a slot, or null when none was. */
    SpikeStep handedOrNull(int slot) {
        return handed == null ? null : handed[slot];
    }

    StepOutcome outcome() {
        return new StepOutcome(input.step(), input.arrivalNanos(), input.reset(), outputSpikes, prediction,
                layerSpikes, synapticOps);
    }
}
