package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import reactor.core.publisher.Flux;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * One worker's run of a network's stages from a cut to the end, one sample at a time: it starts
 * from the input (cut 0) or from a {@link CutRecording} of the cut, and may record later cuts on
 * the way, for later runs to start there. The stages, their state and their floats are those of
 * {@link SpikingNetwork#process}: the stage groups are split at the cuts as a pipeline would be,
 * and run one after the other on the calling thread.
 */
public final class SegmentStepper {

    private static final int[] NO_SPIKES = new int[0];

    private final StageGroup[] groups;
    /** Per group, the recording it ends at (index into {@link #recordSlots}), or -1. */
    private final int[] recordsAfter;
    private final int[] resumeSlots;
    /** Per recorded cut, what it holds. */
    private final int[][] recordSlots;
    /** Per recorded cut and slot: written by the stages between the cut before it and it. */
    private final boolean[][] writtenBetween;
    private final int slots;
    private final int layers;
    private final CutRecording.Writer[] writers;

    SegmentStepper(SpikingNetwork network, int from, int... records) {
        int n = network.stageCount();
        int previous = from;
        for (int record : records) {
            if (record <= previous || record >= n) {
                throw new IllegalArgumentException("cuts " + Arrays.toString(records) + " are not ascending between "
                        + from + " and the " + n + " stages");
            }
            previous = record;
        }
        if (from < 0 || from >= n) {
            throw new IllegalArgumentException("cut " + from + " outside the " + n + " stages");
        }
        int[] starts = IntStream.concat(IntStream.of(0, from), IntStream.of(records)).distinct().toArray();
        PipelinePlan plan = PipelinePlan.startingAt(n, starts);
        int first = from == 0 ? 0 : 1;
        this.groups = new StageGroup[plan.groups() - first];
        this.recordsAfter = new int[groups.length];
        Arrays.fill(recordsAfter, -1);
        for (int g = first; g < plan.groups(); g++) {
            groups[g - first] = new StageGroup(network, plan, g);
            for (int r = 0; r < records.length; r++) {
                if (plan.to(g) == records[r]) {
                    recordsAfter[g - first] = r;
                }
            }
        }
        LayerStage[] all = network.assembledStages();
        this.resumeSlots = cutSlots(all, from);
        this.recordSlots = new int[records.length][];
        this.writtenBetween = new boolean[records.length][];
        for (int r = 0; r < records.length; r++) {
            recordSlots[r] = cutSlots(all, records[r]);
            writtenBetween[r] = new boolean[StageGroup.slotCount(all)];
            for (int s = r == 0 ? from : records[r - 1]; s < records[r]; s++) {
                if (all[s].writes() >= 0) {
                    writtenBetween[r][all[s].writes()] = true;
                }
            }
        }
        this.writers = new CutRecording.Writer[records.length];
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
     * @return per cut to record, its recording, or null when the budget ran out
     */
    public CutRecording[] run(Flux<SpikeStep> steps, CutRecording.Budget budget) {
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
     * @return per cut to record, its recording, or null when the budget ran out
     */
    public CutRecording[] run(CutRecording from, CutRecording.Budget budget) {
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
        for (int r = 0; r < writers.length; r++) {
            writers[r] = new CutRecording.Writer(budget, recordSlots[r].length);
        }
    }

    private CutRecording[] end() {
        CutRecording[] done = new CutRecording[writers.length];
        for (int r = 0; r < writers.length; r++) {
            done[r] = writers[r].finish();
            writers[r] = null;
        }
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
            if (recordsAfter[g] >= 0) {
                record(frame, groups[g], recordsAfter[g]);
            }
        }
    }

    private void record(StepFrame frame, StageGroup between, int r) {
        CutRecording.Writer writer = writers[r];
        writer.beginStep(frame.input.step(), frame.input.reset());
        for (int slot : recordSlots[r]) {
            SpikeStep v = frame.handedOrNull(slot);
            if (v == null) {
                v = writtenBetween[r][slot] ? between.buffers().snapshot(slot, frame.input.step())
                        : slot == 0 ? frame.input : null;
            }
            if (v == null) {
                throw new IllegalStateException("value slot " + slot + " crosses the cut but was never handed over");
            }
            writer.value(v.count(), v.indices(), v.values());
        }
    }
}
