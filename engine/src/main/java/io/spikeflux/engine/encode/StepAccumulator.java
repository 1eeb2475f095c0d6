package io.spikeflux.engine.encode;

import io.spikeflux.engine.sensor.SensorMapping;

import java.util.Arrays;

/**
 * Counts events per input element within one time step and turns them into a {@link SpikeStep}.
 * Two-channel inputs (event models): index {@code (y * width + x) * 2 + channel}, channel 0 = ON and
 * 1 = OFF, as the event models were trained. One-channel inputs (frame models fed by a Poisson
 * camera): index {@code y * width + x}, ON events count +1 and OFF events -1, which is exactly the
 * signed spike map the Poisson encoder feeds the network offline.
 */
public final class StepAccumulator {

    private final int width;
    private final int height;
    private final int channels;
    /** Sensor pixels to input pixels; null when events come in the input's own coordinates. */
    private final SensorMapping mapping;
    private final int[] counts;
    private final int[] touched;
    /** Elements in {@code touched}; signed counts can return to 0 within a step. */
    private final boolean[] marked;
    private int touchedCount;
    private long outside;

    public StepAccumulator(int width, int height) {
        this(width, height, 2);
    }

    /** @param channels 2 (ON/OFF channels) or 1 (signed counts) */
    public StepAccumulator(int width, int height, int channels) {
        this(width, height, channels, null);
    }

    /** Counts the events of a sensor mapped onto the input by {@code mapping} (its size is the input's). */
    public StepAccumulator(SensorMapping mapping, int channels) {
        this(mapping.inputWidth(), mapping.inputHeight(), channels, mapping);
    }

    private StepAccumulator(int width, int height, int channels, SensorMapping mapping) {
        this.mapping = mapping;
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("event input needs 1 (signed) or 2 (ON/OFF) channels, not " + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.counts = new int[width * height * channels];
        this.marked = new boolean[counts.length];
        this.touched = new int[counts.length];
    }

    /** Adds one event; events outside the model's input (or the mapped region) are counted and ignored. */
    public void add(int x, int y, int polarity) {
        if (mapping != null) {
            x = mapping.column(x);
            y = mapping.row(y);
        }
        if (x < 0 || y < 0 || x >= width || y >= height) {
            outside++;
            return;
        }
        int index;
        int delta = 1;
        if (channels == 2) {
            index = (y * width + x) * 2 + (polarity != 0 ? 0 : 1);
        } else {
            index = y * width + x;
            delta = polarity != 0 ? 1 : -1;
        }
        if (!marked[index]) {
            marked[index] = true;
            touched[touchedCount++] = index;
        }
        counts[index] += delta;
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
        int[] idx = new int[n];
        if (n > counts.length >> 5) {
            // the marks in order are the same ascending indices, and cheaper than sorting this
            // many: a busy HD camera touches most of a small input in every step
            for (int i = 0, k = 0; k < n; i++) {
                if (marked[i]) {
                    idx[k++] = i;
                }
            }
        } else {
            System.arraycopy(touched, 0, idx, 0, n);
            Arrays.sort(idx);
        }
        float[] val = new float[n];
        boolean allOnes = true;
        for (int k = 0; k < n; k++) {
            int c = counts[idx[k]];
            val[k] = c;
            allOnes &= c == 1;
            counts[idx[k]] = 0;
            marked[idx[k]] = false;
        }
        touchedCount = 0;
        return new SpikeStep(step, n, idx, allOnes ? null : val, arrivalNanos, reset);
    }

    /** Events that fell outside the input since this accumulator was made. */
    public long outsideEvents() {
        return outside;
    }
}
