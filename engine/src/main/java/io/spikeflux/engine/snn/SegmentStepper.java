package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import reactor.core.publisher.Flux;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One worker's run of a network's stages from a cut to the end, one sample at a time: it starts
 * from the input (cut 0) or from a {@link CutRecording} of the cut, and may record a later cut on
 * the way, for the next run to start there. The stages, their state and their floats are those of
 * {@link SpikingNetwork#process}: the stage groups are split at the cuts as a pipeline would be,
 * and run one after the other on the calling thread.
 */
public final class SegmentStepper {

    private static final int[] NO_SPIKES = new int[0];

    private final StageGroup[] groups;
    /** Whether the first of {@link #groups} ends at a cut to record. */
    private final boolean recording;
    private final int[] resumeSlots;
    private final int[] recordSlots;
    /** Per slot: written by the stages between the two cuts. */
    private final boolean[] writtenBetween;
    private final int slots;
    private final int layers;
    private CutRecording.Writer writer;

    SegmentStepper(SpikingNetwork network, int from, int record) {
        int n = network.stageCount();
        if (from < 0 || from >= n || (record >= 0 && (record <= from || record >= n))) {
            throw new IllegalArgumentException("cuts " + from + " and " + record + " outside the " + n + " stages");
        }
        int[] starts = record < 0 ? new int[]{0, from} : new int[]{0, from, record};
        starts = Arrays.stream(starts).distinct().toArray();
        PipelinePlan plan = PipelinePlan.startingAt(n, starts);
        int first = from == 0 ? 0 : 1;
        this.groups = new StageGroup[plan.groups() - first];
        for (int g = first; g < plan.groups(); g++) {
            groups[g - first] = new StageGroup(network, plan, g);
        }
        this.recording = record >= 0;
        LayerStage[] all = network.assembledStages();
        this.resumeSlots = cutSlots(all, from);
        this.recordSlots = record < 0 ? new int[0] : cutSlots(all, record);
        this.writtenBetween = new boolean[StageGroup.slotCount(all)];
        for (int s = from; s < Math.max(from, record); s++) {
            if (all[s].writes() >= 0) {
                writtenBetween[all[s].writes()] = true;
            }
        }
        this.slots = network.topology().network().valueCount();
        this.layers = network.topology().layers().size();
    }

    /**
     * What a recording of the cut before stage {@code cut} holds, in slot order: the slots written
     * before it and read at or after it in the assembled network, and the input if read there.
     */
    private static int[] cutSlots(LayerStage[] all, int cut) {
        int[] written = StageGroup.slotsReadAfter(all, 0, cut);
        boolean inputRead = false;
        for (int s = cut; s < all.length && !inputRead; s++) {
            for (int r : all[s].reads()) {
                inputRead |= r == 0;
            }
        }
        return inputRead ? IntStream.concat(IntStream.of(0), IntStream.of(written)).toArray() : written;
    }

    /**
     * Runs one sample from the input; its steps must start with a reset. Blocks until the steps
     * end (offline work on a worker thread of its own).
     *
     * @return the recorded cut, or null when nothing was to be recorded or the budget ran out
     */
    public CutRecording run(Flux<SpikeStep> steps, CutRecording.Budget budget) {
        if (resumeSlots.length != 1 || resumeSlots[0] != 0) {
            throw new IllegalStateException("this segment resumes at a cut, not at the input");
        }
        begin(budget);
        steps.doOnNext(s -> step(s, null)).blockLast();
        return end();
    }

    /**
     * Runs one sample from a recording of the cut this segment starts at.
     *
     * @return the recorded cut, or null when nothing was to be recorded or the budget ran out
     */
    public CutRecording run(CutRecording from, CutRecording.Budget budget) {
        if (from.slots() != resumeSlots.length) {
            throw new IllegalArgumentException("recording of " + from.slots() + " values, the cut has " + resumeSlots.length);
        }
        begin(budget);
        CutRecording.Reader r = from.reader();
        SpikeStep[] values = new SpikeStep[resumeSlots.length];
        while (r.next()) {
            SpikeStep input = null;
            for (int i = 0; i < resumeSlots.length; i++) {
                values[i] = r.value();
                if (resumeSlots[i] == 0) {
                    input = values[i];
                }
            }
            if (input == null) {
                input = new SpikeStep(r.step(), 0, NO_SPIKES, null, 0L, r.reset());
            }
            step(input, values);
        }
        return end();
    }

    private void begin(CutRecording.Budget budget) {
        writer = recording ? new CutRecording.Writer(budget, recordSlots.length) : null;
    }

    private CutRecording end() {
        CutRecording done = writer == null ? null : writer.finish();
        writer = null;
        return done;
    }

    private void step(SpikeStep input, SpikeStep[] resumed) {
        StepFrame frame = new StepFrame(input, slots, layers);
        if (resumed != null) {
            for (int i = 0; i < resumeSlots.length; i++) {
                if (resumeSlots[i] != 0) {
                    frame.hand(resumeSlots[i], resumed[i]);
                }
            }
        }
        for (int g = 0; g < groups.length; g++) {
            groups[g].run(frame);
            if (g == 0 && recording) {
                record(frame, groups[g]);
            }
        }
    }

    private void record(StepFrame frame, StageGroup between) {
        writer.beginStep(frame.input.step(), frame.input.reset());
        for (int slot : recordSlots) {
            SpikeStep v = frame.handedOrNull(slot);
            if (v == null) {
                v = writtenBetween[slot] ? between.buffers().snapshot(slot, frame.input.step())
                        : slot == 0 ? frame.input : null;
            }
            if (v == null) {
                throw new IllegalStateException("value slot " + slot + " crosses the cut but was never handed over");
            }
            writer.value(v.count(), v.indices(), v.values());
        }
    }
}
