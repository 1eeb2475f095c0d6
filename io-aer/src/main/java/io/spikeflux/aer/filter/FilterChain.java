package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;

import java.util.concurrent.atomic.LongAdder;

/**
 * One sensor's noise filters, applied in order: an event removed by one is not seen by the
 * next. What each removed is added to counters shared by all sensors of a {@link FilterSpec}.
 */
public final class FilterChain {

    private final EventFilter[] filters;
    private final LongAdder[] removed;
    /** Scratch: indices of the events still passing, reused across packets (one sensor, one thread). */
    private int[] index = new int[1024];

    FilterChain(EventFilter[] filters, LongAdder[] removed) {
        this.filters = filters;
        this.removed = removed;
    }

    /** The events of {@code p} that pass every filter, as a new packet (or {@code p} when all pass). */
    public EventPacket apply(EventPacket p) {
        int n = p.size();
        int kept = select(p);
        if (kept == n) {
            return p;
        }
        int[] idx = index;
        short[] x = new short[kept];
        short[] y = new short[kept];
        byte[] pol = new byte[kept];
        long[] t = new long[kept];
        for (int k = 0; k < kept; k++) {
            int i = idx[k];
            x[k] = (short) p.x(i);
            y[k] = (short) p.y(i);
            pol[k] = (byte) p.polarity(i);
            t[k] = p.timestampUs(i);
        }
        return new EventPacket(p.sensorId(), p.geometry(), p.sequence(), kept, x, y, pol, t, p.arrivalNanos());
    }

    /**
     * How many events of {@code p} pass every filter, their filters' state and counters moved on
     * as by {@link #apply}, without copying the survivors (what the filters alone cost).
     */
    public int select(EventPacket p) {
        int n = p.size();
        if (index.length < n) {
            index = new int[Math.max(n, index.length * 2)];
        }
        int[] idx = index;
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int kept = n;
        for (int f = 0; f < filters.length && kept > 0; f++) {
            int before = kept;
            kept = filters[f].filter(p, idx, kept);
            if (kept < before) {
                removed[f].add(before - kept);
            }
        }
        return kept;
    }
}
