package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A camera that shows labelled samples one after another on one sensor clock, with a ground-truth schedule. */
public interface Camera {

    /** The events of all samples, in sensor-time order. */
    Flux<EventPacket> events();

    /** What the camera shows when, in its sensor time. */
    List<ScheduleEntry> schedule();

    /** The sample being shown at sensor time {@code t}, or null during a gap. */
    default ScheduleEntry at(long t) {
        List<ScheduleEntry> schedule = schedule();
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
    default void writeSchedule(Path file) {
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
