package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.Recording;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;

/**
 * A camera that shows recordings one after another on one continuous sensor clock, with a gap of
 * silence between samples, and keeps the ground-truth schedule of what it showed when.
 */
public final class ReplayCamera implements Camera {

    private final List<LabelledRecording> samples;
    private final List<ScheduleEntry> schedule;
    /** Per sample: the shift from recording time to camera time. */
    private final long[] offsets;

    /** Plans the replay: reads each recording's time span once to lay out the schedule. */
    public ReplayCamera(List<LabelledRecording> samples, long gapUs) {
        this.samples = List.copyOf(samples);
        this.offsets = new long[samples.size()];
        List<ScheduleEntry> plan = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < samples.size(); i++) {
            LabelledRecording s = samples.get(i);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (EventPacket p : Recording.open(s.file()).events().toIterable()) {
                if (p.size() > 0) {
                    first = Math.min(first, p.firstTimestampUs());
                    last = Math.max(last, p.lastTimestampUs());
                }
            }
            if (first == Long.MAX_VALUE) {
                continue; // an empty recording shows nothing
            }
            offsets[i] = clock - first;
            long end = clock + (last - first) + 1;
            plan.add(new ScheduleEntry(plan.size(), s.label(), clock, end, s.file().toString()));
            clock = end + gapUs;
        }
        this.schedule = List.copyOf(plan);
    }

    /** The events of all samples, each shifted to start {@code gap} after the previous one ended. */
    @Override
    public Flux<EventPacket> events() {
        return Flux.range(0, samples.size())
                .concatMap(i -> Recording.open(samples.get(i).file()).events().map(p -> p.shiftedBy(offsets[i])));
    }


    @Override
    public List<ScheduleEntry> schedule() {
        return schedule;
    }
}
