package io.spikeflux.aer.udp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one source, written by the receiving event loop and read by anyone. Every datagram
 * ends in exactly one of: delivered, dropped (queue full), malformed, duplicate, late, rejected.
 */
public final class SensorCounters {

    private final String sensorId;
    final AtomicLong datagrams = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong onEvents = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong droppedDatagrams = new AtomicLong();
    final AtomicLong droppedEvents = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong resyncs = new AtomicLong();
    volatile String lastError;

    SensorCounters(String sensorId) {
        this.sensorId = sensorId;
    }

    /**
     * Adds to a counter that only the receiving event loop writes: a plain read and an ordered
     * write, no atomic read-modify-write per datagram; readers on other threads see it promptly.
     */
    static void add(AtomicLong counter, long n) {
        counter.lazySet(counter.get() + n);
    }

    /** Adds another source's counts to these (retiring it); on the writer's thread. */
    void absorb(SensorCounters o) {
        add(datagrams, o.datagrams.get());
        add(bytes, o.bytes.get());
        add(events, o.events.get());
        add(onEvents, o.onEvents.get());
        add(delivered, o.delivered.get());
        add(droppedDatagrams, o.droppedDatagrams.get());
        add(droppedEvents, o.droppedEvents.get());
        add(malformed, o.malformed.get());
        add(duplicated, o.duplicated.get());
        add(lost, o.lost.get());
        add(reordered, o.reordered.get());
        add(late, o.late.get());
        add(resyncs, o.resyncs.get());
    }

    public String sensorId() {
        return sensorId;
    }

    public Snapshot snapshot() {
        return new Snapshot(sensorId, datagrams.get(), bytes.get(), events.get(), onEvents.get(), delivered.get(),
                droppedDatagrams.get(), droppedEvents.get(), malformed.get(), duplicated.get(), lost.get(),
                reordered.get(), late.get(), resyncs.get(), lastError);
    }

    /**
     * Counters at one moment. {@code events} counts decoded events, including dropped ones;
     * {@code late} datagrams arrived after their gap was forgotten (dropped, not lost);
     * {@code resyncs} are implausible jumps of the sequence number (restarts, strays).
     */
    public record Snapshot(String sensorId, long datagrams, long bytes, long events, long onEvents, long delivered,
                           long droppedDatagrams, long droppedEvents, long malformed, long duplicated, long lost,
                           long reordered, long late, long resyncs, String lastError) {

        public static Snapshot sum(Iterable<Snapshot> all) {
            long[] s = new long[13];
            for (Snapshot x : all) {
                s[0] += x.datagrams;
                s[1] += x.bytes;
                s[2] += x.events;
                s[3] += x.onEvents;
                s[4] += x.delivered;
                s[5] += x.droppedDatagrams;
                s[6] += x.droppedEvents;
                s[7] += x.malformed;
                s[8] += x.duplicated;
                s[9] += x.lost;
                s[10] += x.reordered;
                s[11] += x.late;
                s[12] += x.resyncs;
            }
            return new Snapshot("all", s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12],
                    null);
        }
    }
}
