package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.util.Arrays;

/**
 * Background-activity filter (as jAER's BackgroundActivityFilter and dv-processing's
 * background-activity noise filter): an event passes when one of its 8 neighbours had an event
 * within {@code dtUs} before it. Real edges move across neighbouring pixels; uncorrelated noise
 * events are isolated. Every event, passed or not, counts as its neighbours' activity.
 */
public final class BackgroundActivityFilter implements EventFilter {

    /** Stamp of a pixel none of whose neighbours fired (far enough below any window). */
    private static final int NEVER = Integer.MIN_VALUE / 2;
    /** Stamps are kept relative to a base that moves on before they would overflow. */
    private static final long REBASE_AFTER_US = 1L << 30;

    private final int width;
    private final int height;
    private final int dtUs;
    /**
     * Per pixel, the time of its neighbours' newest event (µs after {@code base}), with a
     * one-pixel border so neighbours need no bounds checks: ints, so the map of an HD sensor
     * takes half the cache lines.
     */
    private final int[] last;
    private final int stride;
    private long base = Long.MIN_VALUE;

    public BackgroundActivityFilter(SensorGeometry g, long dtUs) {
        if (dtUs <= 0 || dtUs > REBASE_AFTER_US / 4) {
            throw new IllegalArgumentException("background filter time must be positive and below 4 minutes: " + dtUs + " us");
        }
        this.width = g.width();
        this.height = g.height();
        this.dtUs = (int) dtUs;
        this.stride = width + 2;
        this.last = new int[stride * (height + 2)];
        Arrays.fill(last, NEVER);
    }

    @Override
    public boolean accept(int x, int y, int polarity, long t) {
        return passes(x, y, t);
    }

    @Override
    public int filter(EventPacket p, int[] index, int n) {
        // no branch on the outcome: every index is written, and counted only if it passes
        int kept = 0;
        for (int k = 0; k < n; k++) {
            int i = index[k];
            index[kept] = i;
            kept += passes(p.x(i), p.y(i), p.timestampUs(i)) ? 1 : 0;
        }
        return kept;
    }

    /**
     * Each event stamps its eight neighbours' cells, and is judged by its own cell alone: the
     * newest event of any neighbour. One load on the path that decides; the eight updates are off
     * it, where the old way waited on eight loads of an HD map that lives in L3.
     */
    private boolean passes(int x, int y, long t) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return false;
        }
        if (base == Long.MIN_VALUE || t - base >= REBASE_AFTER_US) {
            rebase(t);
        }
        int now = (int) (t - base);
        int s = stride;
        int j = (y + 1) * s + x + 1;
        int[] m = last;
        boolean pass = m[j] >= now - dtUs;
        // max, not a plain store: events may come slightly out of time order, and a newer stamp stays
        m[j - s - 1] = Math.max(m[j - s - 1], now);
        m[j - s] = Math.max(m[j - s], now);
        m[j - s + 1] = Math.max(m[j - s + 1], now);
        m[j - 1] = Math.max(m[j - 1], now);
        m[j + 1] = Math.max(m[j + 1], now);
        m[j + s - 1] = Math.max(m[j + s - 1], now);
        m[j + s] = Math.max(m[j + s], now);
        m[j + s + 1] = Math.max(m[j + s + 1], now);
        return pass;
    }

    /** Moves the base to {@code t}: stamps older than the window are forgotten (once per ~18 minutes). */
    private void rebase(long t) {
        if (base == Long.MIN_VALUE) {
            base = t;
            return;
        }
        long shift = t - base;
        for (int k = 0; k < last.length; k++) {
            long v = last[k] - shift;
            last[k] = v < -2L * dtUs ? NEVER : (int) v;
        }
        base = t;
    }

    @Override
    public String name() {
        return "background";
    }
}
