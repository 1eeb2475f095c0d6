package io.spikeflux.live.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which records of one partition the engine has finished, so that only those are committed. A
 * partition interleaves many sensors; a record is finished when a decision of its sensor ends
 * after the record's last event (the steps holding its events are closed and decided), when its
 * sensor has sent nothing for {@code quietNanos} (its last steps closed by the sensor clock long
 * ago), or when it is older than {@code maxAgeNanos} (its sensor was refused or its packets
 * dropped, which the engine counts). The committable offset is the first unfinished record's.
 * <p>
 * Thread-safe: records are added where they are received, decisions arrive on the output thread.
 */
final class OffsetLedger {

    private static final class Entry {
        final long offset;
        final long lastTimestampUs;
        final long arrivalNanos;
        boolean done;

        Entry(long offset, long lastTimestampUs, long arrivalNanos) {
            this.offset = offset;
            this.lastTimestampUs = lastTimestampUs;
            this.arrivalNanos = arrivalNanos;
        }
    }

    private final ArrayDeque<Entry> inOrder = new ArrayDeque<>();
    private final Map<String, ArrayDeque<Entry>> bySensor = new HashMap<>();
    private long nextOffset = -1;
    private int pending;

    /** A record of a sensor whose events end at {@code lastTimestampUs}. */
    synchronized void add(String sensorId, long offset, long lastTimestampUs, long arrivalNanos) {
        Entry e = new Entry(offset, lastTimestampUs, arrivalNanos);
        inOrder.add(e);
        bySensor.computeIfAbsent(sensorId, k -> new ArrayDeque<>()).add(e);
        pending++;
    }

    /** A record that needs no processing (malformed, or empty): finished at once. */
    synchronized void addFinished(long offset) {
        Entry e = new Entry(offset, 0, 0);
        e.done = true;
        inOrder.add(e);
    }

    /** A decision of a sensor over sensor time up to {@code windowEndUs}; returns records finished. */
    synchronized int decided(String sensorId, long windowEndUs) {
        ArrayDeque<Entry> q = bySensor.get(sensorId);
        int n = 0;
        while (q != null && !q.isEmpty() && q.peek().lastTimestampUs < windowEndUs) {
            n += finish(q.poll());
        }
        return n;
    }

    /** Finishes the records of quiet sensors and the too old; returns records finished. */
    synchronized int sweep(long nowNanos, long quietNanos, long maxAgeNanos) {
        int n = 0;
        for (Iterator<ArrayDeque<Entry>> it = bySensor.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Entry> q = it.next();
            boolean quiet = q.isEmpty() || nowNanos - q.peekLast().arrivalNanos >= quietNanos;
            while (!q.isEmpty() && (quiet || nowNanos - q.peek().arrivalNanos >= maxAgeNanos)) {
                n += finish(q.poll());
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        return n;
    }

    /** The partition's pipelines have finished (revocation): everything received is finished. */
    synchronized int finishAll() {
        int n = 0;
        for (ArrayDeque<Entry> q : bySensor.values()) {
            while (!q.isEmpty()) {
                n += finish(q.poll());
            }
        }
        bySensor.clear();
        return n;
    }

    private int finish(Entry e) {
        if (e.done) {
            return 0;
        }
        e.done = true;
        pending--;
        return 1;
    }

    /** The offset to commit (the next record to read), or -1 when nothing new is finished. */
    synchronized long committable() {
        long before = nextOffset;
        while (!inOrder.isEmpty() && inOrder.peek().done) {
            nextOffset = inOrder.poll().offset + 1;
        }
        return nextOffset != before ? nextOffset : -1;
    }

    /** Records received and not finished. */
    synchronized int pending() {
        return pending;
    }
}
