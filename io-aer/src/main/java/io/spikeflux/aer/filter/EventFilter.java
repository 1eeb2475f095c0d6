package io.spikeflux.aer.filter;

/**
 * A noise filter of one sensor's event stream: decides per event, in stream order, whether it
 * passes. Holds per-pixel state (a timestamp map), so each sensor has its own instance; O(1) per
 * event, no allocation.
 */
public interface EventFilter {

    /** Whether the event passes; called for every event in order, with non-decreasing timestamps. */
    boolean accept(int x, int y, int polarity, long timestampUs);

    /** Short name for counters, e.g. {@code background}. */
    String name();
}
