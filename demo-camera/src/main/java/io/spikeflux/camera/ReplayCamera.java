package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.Recording;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A camera that shows recordings one after another on one continuous sensor clock, with a gap of
 * silence between samples, and keeps the ground-truth schedule of what it showed when.
 */
public final class ReplayCamera {

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
    public Flux<EventPacket> events() {
        return Flux.range(0, samples.size())
                .concatMap(i -> Recording.open(samples.get(i).file()).events().map(p -> p.shiftedBy(offsets[i])));
    }


    /** What the camera shows when, in its sensor time. */
    public List<ScheduleEntry> schedule() {
        return schedule;
    }

    /** The sample being shown at sensor time {@code t}, or null during a gap. */
    public ScheduleEntry at(long t) {
        int lo = 0;
        int hi = schedule.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ScheduleEntry e = schedule.get(mid);
            if (t < e.startUs()) {
                hi = mid - 1;
            } else if (t >= e.endUs()) {
                lo = mid + 1;
            } else {
                return e;
            }
        }
        return null;
    }

    /** Writes the schedule as CSV: index,label,start_us,end_us,source. */
    public void writeSchedule(Path file) {
        StringBuilder b = new StringBuilder("index,label,start_us,end_us,source\n");
        for (ScheduleEntry e : schedule()) {
            b.append(e.index()).append(',').append(e.label()).append(',').append(e.startUs()).append(',')
                    .append(e.endUs()).append(',').append(e.source()).append('\n');
        }
        try {
            Files.writeString(file, b);
        } catch (IOException ex) {
            throw new UncheckedIOException(file + ": cannot write the schedule: " + ex.getMessage(), ex);
        }
    }
}
