package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Packets released when their sensor time has come, as a camera produces them: recordings hold
 * packets of many milliseconds, a camera sends each slot's events as they happen.
 */
public final class Pacing {

    private Pacing() {
    }

    /**
     * Cuts the packets into slots of {@code slotUs} of sensor time and releases each slot at its
     * time (relative to the first event) divided by {@code speed}; 0 releases them at once.
     */
    public static Flux<EventPacket> inTime(Flux<EventPacket> packets, double speed, long slotUs) {
        return Flux.defer(() -> {
            long[] origin = {Long.MIN_VALUE, 0};
            return packets.filter(p -> p.size() > 0)
                    .concatMapIterable(p -> slots(p, slotUs))
                    .concatMap(p -> {
                        if (speed <= 0) {
                            return Mono.just(p);
                        }
                        long now = System.nanoTime();
                        if (origin[0] == Long.MIN_VALUE) {
                            origin[0] = p.firstTimestampUs();
                            origin[1] = now;
                        }
                        long due = origin[1] + (long) ((p.lastTimestampUs() - origin[0]) * 1000 / speed);
                        return due <= now ? Mono.just(p) : Mono.delay(Duration.ofNanos(due - now)).thenReturn(p);
                    });
        });
    }

    private static List<EventPacket> slots(EventPacket p, long slotUs) {
        List<EventPacket> out = new ArrayList<>();
        EventPacketBuilder b = new EventPacketBuilder(p.sensorId(), p.geometry(), p.size());
        long slot = Math.floorDiv(p.firstTimestampUs(), slotUs);
        for (int i = 0; i < p.size(); i++) {
            long s = Math.floorDiv(p.timestampUs(i), slotUs);
            if (s != slot && b.size() > 0) {
                out.add(b.build());
                slot = s;
            }
            b.add(p.x(i), p.y(i), p.polarity(i), p.timestampUs(i));
        }
        if (b.size() > 0) {
            out.add(b.build());
        }
        return out;
    }
}
