package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;

import java.util.Arrays;

/**
 * One time step on its way through the stage groups of a pipelined network: the step's input and
 * the values that later groups read, as copies owned by the frame (so a group on another thread
 * never sees a buffer its producer is already overwriting), plus the step's counters so far.
 * <p>
 * A frame that flows through Reactor is made per step and handed over whole. A synchronous
 * {@link SpikingNetwork.Stepper} reuses one frame for every step ({@link #begin}), so stepping by
 * hand allocates nothing.
 */
final class StepFrame {

    private static final int[] NO_SPIKES = new int[0];

    SpikeStep input;
    private final int slots;
    /** Per buffer slot, the value handed over; made only when a pipelined stream hands one over. */
    private SpikeStep[] handed;
    final int[] layerSpikes;
    long synapticOps;
    /** The output layer's spikes of this step: the first {@link #outputCount} entries. */
    private int[] outputSpikes = NO_SPIKES;
    private int outputCount;
    int prediction = -1;

    StepFrame(SpikeStep input, int slots, int layers) {
        this.input = input;
        this.slots = slots;
        this.layerSpikes = new int[layers];
    }

    /** Makes a reused frame carry a new step, with its counters at zero. */
    void begin(SpikeStep step) {
        input = step;
        Arrays.fill(layerSpikes, 0);
        synapticOps = 0;
        outputCount = 0;
        prediction = -1;
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

    /**
     * Keeps the output layer's spikes. A fresh frame gets an array of their exact size (which its
     * outcome takes over); a reused one grows its array only when a step has more spikes than any
     * before.
     */
    void outputSpikes(int[] spikes, int n) {
        if (outputSpikes.length < n) {
            outputSpikes = new int[n];
        }
        System.arraycopy(spikes, 0, outputSpikes, 0, n);
        outputCount = n;
    }

    int outputCount() {
        return outputCount;
    }

    int outputSpike(int k) {
        return outputSpikes[k];
    }

    StepOutcome outcome() {
        int[] spikes = outputSpikes.length == outputCount ? outputSpikes : Arrays.copyOf(outputSpikes, outputCount);
        return new StepOutcome(input.step(), input.arrivalNanos(), input.reset(), spikes, prediction, layerSpikes,
                synapticOps);
    }
}
