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

    /**
     * Runs every filter over {@code p}, moving their state and counters on, and returns how many of
     * its events pass; their indices are the first that many of {@link #survivors()}. The packet
     * is not copied: a consumer reads the survivors in place.
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

    /** Indices of the events that passed the last {@link #select}, ascending; overwritten by the next. */
    public int[] survivors() {
        return index;
    }
}
