package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.encode.StepAccumulator;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.SensorMapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one sensor's event stream into time steps of sensor time: step k holds the events with
 * timestamps in {@code [origin + k*dt, origin + (k+1)*dt)}. A step is complete when an event of a
 * later step arrives. Steps without events still advance time (up to {@code maxEmptySteps} in a
 * row; a longer silence is skipped and reported as a gap). Events older than the step in
 * progress are late: they are counted and dropped, never folded into the past. A live stream's
 * open step can also be closed by wall time, once the sensor clock says it is over
 * ({@link #dueNanos}, {@link #closeIfDue}): the sensor clock is tracked as the smallest offset
 * between a packet's arrival and its newest event, i.e. the least delayed packet.
 */
final class SensorTimeBinner {

    /** What the binner saw since the last packet, for the pipeline to act on. */
    interface Listener {
        /** The stream was silent for {@code gapUs} before an event at step {@code nextStep}. */
        void gap(long gapUs, int nextStep);
    }

    /** Made for the sensor's geometry when its first packet arrives (unless given at construction). */
    private StepAccumulator accumulator;
    private final InputFit fit;
    private final int inputWidth;
    private final int inputHeight;
    private final int channels;
    private SensorMapping mapping;
    private final long dtUs;
    private final int maxEmptySteps;
    private final long idleGapUs;
    private final Listener listener;

    /**
     * Arrival stamp of the empty steps of a silence, which are simulated only once the stream
     * resumes: decisions on them would be stale, so the pipeline does not emit any.
     */
    static final long CATCH_UP = -1;
    private static final int[] NO_INDICES = new int[0];

    private long originUs = Long.MIN_VALUE;
    private long currentStep;
    private long lastEventUs;
    private long newestArrival;
    private final List<SpikeStep> completed = new ArrayList<>(4);
    /** Wall time (ns) minus sensor time (µs, as ns) of the least delayed packet so far. */
    private long clockOffsetNanos = Long.MAX_VALUE;
    /** How fast the offset estimate may rise when delays grow (clock drift): ns per packet. */
    private static final long OFFSET_DRIFT_NANOS = 200;
    private final java.util.concurrent.atomic.AtomicLong late;

    SensorTimeBinner(int width, int height, long dtUs, int maxEmptySteps, long idleGapUs, Listener listener,
                     java.util.concurrent.atomic.AtomicLong lateCounter) {
        this(width, height, 2, dtUs, maxEmptySteps, idleGapUs, listener, lateCounter);
    }

    /** @param channels of the model's input: 2 for ON/OFF event models, 1 for frame models (signed) */
    SensorTimeBinner(int width, int height, int channels, long dtUs, int maxEmptySteps, long idleGapUs,
                     Listener listener, java.util.concurrent.atomic.AtomicLong lateCounter) {
        this(null, width, height, channels, dtUs, maxEmptySteps, idleGapUs, listener, lateCounter);
        this.accumulator = new StepAccumulator(width, height, channels);
    }

    /**
     * Maps the sensor onto the {@code width x height} input by {@code fit}, once the first packet
     * tells the sensor's geometry.
     */
    SensorTimeBinner(InputFit fit, int width, int height, int channels, long dtUs, int maxEmptySteps, long idleGapUs,
                     Listener listener, java.util.concurrent.atomic.AtomicLong lateCounter) {
        this.late = lateCounter;
        this.fit = fit;
        this.inputWidth = width;
        this.inputHeight = height;
        this.channels = channels;
        this.dtUs = dtUs;
        this.maxEmptySteps = maxEmptySteps;
        this.idleGapUs = idleGapUs;
        this.listener = listener;
    }

    /**
     * Bins one packet; returns the steps it completed, in order. The list is this binner's own and
     * is reused by the next call: consume it first (the pipeline's {@code concatMapIterable} does).
     */
    List<SpikeStep> accept(EventPacket p) {
        return accept(p, null, p.size());
    }

    /**
     * Bins the events {@code index[0..count)} of a packet (ascending; all {@code count} first
     * events when {@code index} is null): what its noise filters passed, read in place instead of
     * copied into a packet of their own.
     */
    List<SpikeStep> accept(EventPacket p, int[] index, int count) {
        if (accumulator == null) {
            mapping = fit.mapping(p.geometry(), inputWidth, inputHeight);
            accumulator = new StepAccumulator(mapping, channels);
        }
        if (p.arrivalNanos() != 0 && count > 0) {
            long candidate = p.arrivalNanos() - p.timestampUs(index == null ? count - 1 : index[count - 1]) * 1000;
            clockOffsetNanos = clockOffsetNanos == Long.MAX_VALUE ? candidate
                    : Math.min(clockOffsetNanos + OFFSET_DRIFT_NANOS, candidate);
        }
        List<SpikeStep> done = completed;
        done.clear();
        for (int k = 0; k < count; k++) {
            int i = index == null ? k : index[k];
            long t = p.timestampUs(i);
            if (originUs == Long.MIN_VALUE) {
                originUs = t;
                currentStep = 0;
                lastEventUs = t;
            }
            long step = Math.floorDiv(t - originUs, dtUs);
            if (step < currentStep) {
                late.incrementAndGet();
                continue;
            }
            if (step > currentStep) {
                long empty = step - currentStep - 1;
                long gap = t - lastEventUs;
                boolean skip = (idleGapUs > 0 && gap >= idleGapUs) || empty > maxEmptySteps;
                // an empty open step before a skipped silence (already flushed) need not run
                if (!accumulator.isEmpty() || !skip) {
                    done.add(accumulator.emit((int) currentStep, newestArrival));
                }
                if (skip) {
                    listener.gap(gap, (int) step);
                } else {
                    for (long s = currentStep + 1; s < step; s++) {
                        done.add(new SpikeStep((int) s, 0, NO_INDICES, null, CATCH_UP));
                    }
                }
                currentStep = step;
            }
            accumulator.add(p.x(i), p.y(i), p.polarity(i));
            newestArrival = p.arrivalNanos();
            lastEventUs = t;
        }
        return done;
    }

    /**
     * Wall time (ns, the clock of the packets' arrival stamps) at which the open step is over by
     * the sensor's clock, plus {@code marginNanos}; {@link Long#MAX_VALUE} when no live event is open.
     */
    long dueNanos(long marginNanos) {
        if (accumulator == null || accumulator.isEmpty() || newestArrival == 0 || clockOffsetNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return clockOffsetNanos + stepStartUs((int) currentStep + 1) * 1000 + marginNanos;
    }

    /** Closes the open step if it is due by {@link #dueNanos}. Later events of that step will be late. */
    List<SpikeStep> closeIfDue(long nowNanos, long marginNanos) {
        if (nowNanos < dueNanos(marginNanos)) {
            return List.of();
        }
        SpikeStep step = accumulator.emit((int) currentStep, newestArrival);
        currentStep++;
        return List.of(step);
    }

    /** Sensor time at the start of a step. */
    long stepStartUs(int step) {
        return originUs + step * dtUs;
    }

    long outsideEvents() {
        return accumulator == null ? 0 : accumulator.outsideEvents();
    }

    /** How this sensor is mapped onto the input; null before its first packet (or when not mapped). */
    SensorMapping mapping() {
        return mapping;
    }
}
