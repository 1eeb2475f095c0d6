package io.spikeflux.engine.encode;

/**
 * The input of one time step: flat channel-last indices of the active input elements and, unless
 * all are +1 spikes, their values (signed spikes, or event counts). One object per step, never one
 * per spike.
 *
 * @param step    time step number, from 0
 * @param count   number of active elements
 * @param indices active element indices; only the first {@code count} are meaningful
 * @param values  value per active element, or {@code null} when all are 1
 * @param arrivalNanos when the newest event of this step reached the process (live streams), or 0
 */
public record SpikeStep(int step, int count, int[] indices, float[] values, long arrivalNanos) {

    public SpikeStep(int step, int count, int[] indices, float[] values) {
        this(step, count, indices, values, 0L);
    }

    public float valueAt(int k) {
        return values == null ? 1f : values[k];
    }

}
