package io.spikeflux.engine.encode;

import java.util.Arrays;

/**
 * Counts events per input element within one time step and turns them into a {@link SpikeStep}.
 * Input index of an event: channel-last {@code (y * width + x) * 2 + channel}, with channel 0 = ON
 * and 1 = OFF, as the event models were trained.
 */
public final class StepAccumulator {

    private final int width;
    private final int height;
    private final int[] counts;
    private final int[] touched;
    private int touchedCount;
    private long outside;

    public StepAccumulator(int width, int height) {
        this.width = width;
        this.height = height;
        this.counts = new int[width * height * 2];
        this.touched = new int[counts.length];
    }

    /** Adds one event; events outside the model's input are counted and ignored. */
    public void add(int x, int y, int polarity) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            outside++;
            return;
        }
        int index = (y * width + x) * 2 + (polarity != 0 ? 0 : 1);
        if (counts[index]++ == 0) {
            touched[touchedCount++] = index;
        }
    }

    public boolean isEmpty() {
        return touchedCount == 0;
    }

    /** Emits the counted step of a recording and starts the next one; step 0 starts a sample. */
    public SpikeStep emit(int step) {
        return emit(step, 0L, step == 0);
    }

    /** Emits the counted step, stamped with when its newest event arrived. */
    public SpikeStep emit(int step, long arrivalNanos) {
        return emit(step, arrivalNanos, false);
    }

    private SpikeStep emit(int step, long arrivalNanos, boolean reset) {
        int n = touchedCount;
        int[] idx = Arrays.copyOf(touched, n);
        Arrays.sort(idx);
        float[] val = new float[n];
        boolean allOnes = true;
        for (int k = 0; k < n; k++) {
            int c = counts[idx[k]];
            val[k] = c;
            allOnes &= c == 1;
            counts[idx[k]] = 0;
        }
        touchedCount = 0;
        return new SpikeStep(step, n, idx, allOnes ? null : val, arrivalNanos, reset);
    }

    /** Events that fell outside the input since this accumulator was made. */
    public long outsideEvents() {
        return outside;
    }
}
