package io.spikeflux.engine.encode;

/**
 * The spikes of one time step for one layer (the network input, or a value handed from one stage
 * group to the next): flat channel-last indices of the active elements and, unless all are +1
 * spikes, their values (signed spikes, event counts or currents). One object per step, never one
 * per spike. It owns its arrays: whoever made it no longer writes them, so it may cross threads.
 *
 * @param step         time step number, from 0
 * @param count        number of active elements
 * @param indices      active element indices, ascending; only the first {@code count} are meaningful
 * @param values       value per active element, or {@code null} when all are 1
 * @param arrivalNanos when the newest event of this step reached the process (live streams), or 0
 * @param reset        the network resets its state (membranes, counts) before this step: the first
 *                     step of a sample, or the first after an idle gap
 */
public record SpikeStep(int step, int count, int[] indices, float[] values, long arrivalNanos, boolean reset) {

    public SpikeStep(int step, int count, int[] indices, float[] values, long arrivalNanos) {
        this(step, count, indices, values, arrivalNanos, false);
    }

    public SpikeStep(int step, int count, int[] indices, float[] values) {
        this(step, count, indices, values, 0L, step == 0);
    }

    public float valueAt(int k) {
        return values == null ? 1f : values[k];
    }

    /**
     * Adds this step's values into {@code dense}, which holds 0 wherever the step's indices point,
     * and lists each element written once, in the order first written, in {@code written}: how a
     * layer's input is loaded from a step (an index listed twice adds up).
     *
     * @return how many elements were written
     */
    public int addTo(float[] dense, int[] written) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            if (dense[i] == 0f) {
                written[n++] = i;
            }
            dense[i] += valueAt(k);
        }
        return n;
    }

    /** The same spikes, with the network reset before them. */
    public SpikeStep withReset() {
        return reset ? this : new SpikeStep(step, count, indices, values, arrivalNanos, true);
    }
}
