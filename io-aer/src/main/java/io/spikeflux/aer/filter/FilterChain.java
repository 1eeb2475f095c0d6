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

    FilterChain(EventFilter[] filters, LongAdder[] removed) {
        this.filters = filters;
        this.removed = removed;
    }

    /** The events of {@code p} that pass every filter, as a new packet (or {@code p} when all pass). */
    public EventPacket apply(EventPacket p) {
        int n = p.size();
        short[] x = null;
        short[] y = null;
        byte[] pol = null;
        long[] t = null;
        int kept = 0;
        int[] dropped = new int[filters.length];
        for (int i = 0; i < n; i++) {
            int ex = p.x(i);
            int ey = p.y(i);
            int ep = p.polarity(i);
            long et = p.timestampUs(i);
            int f = 0;
            while (f < filters.length && filters[f].accept(ex, ey, ep, et)) {
                f++;
            }
            if (f < filters.length) {
                dropped[f]++;
                if (x == null) {
                    // first removal: copy what passed so far into arrays of our own
                    x = new short[n];
                    y = new short[n];
                    pol = new byte[n];
                    t = new long[n];
                    for (int k = 0; k < i; k++) {
                        x[k] = (short) p.x(k);
                        y[k] = (short) p.y(k);
                        pol[k] = (byte) p.polarity(k);
                        t[k] = p.timestampUs(k);
                    }
                    kept = i;
                }
                continue;
            }
            if (x != null) {
                x[kept] = (short) ex;
                y[kept] = (short) ey;
                pol[kept] = (byte) ep;
                t[kept] = et;
                kept++;
            }
        }
        if (x == null) {
            return p;
        }
        for (int f = 0; f < filters.length; f++) {
            if (dropped[f] > 0) {
                removed[f].add(dropped[f]);
            }
        }
        return new EventPacket(p.sensorId(), p.geometry(), p.sequence(), kept, x, y, pol, t, p.arrivalNanos());
    }
}
