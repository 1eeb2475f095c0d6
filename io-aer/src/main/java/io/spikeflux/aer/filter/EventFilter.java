package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;

/**
 * A noise filter of one sensor's event stream: decides per event, in stream order, whether it
 * passes. Holds per-pixel state (a timestamp map), so each sensor has its own instance; O(1) per
 * event, no allocation.
 */
public interface EventFilter {

    /** Whether the event passes; called for every event in order, with non-decreasing timestamps. */
    boolean accept(int x, int y, int polarity, long timestampUs);

    /**
     * Filters the events {@code index[0..n)} of {@code p} (ascending), keeping the passing ones
     * at the front of {@code index}; returns how many passed. One call per packet, so the loop
     * over its events is the filter's own (no call through this interface per event).
     */
    int filter(EventPacket p, int[] index, int n);

    /** Short name for counters, e.g. {@code background}. */
    String name();
}
