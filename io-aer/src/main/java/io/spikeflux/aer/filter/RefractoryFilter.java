package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.util.Arrays;

/**
 * Per-pixel refractory period: an event passes only if its pixel's last passed event is at least
 * {@code periodUs} older, so one pixel contributes at most one event per period (a flickering or
 * hot pixel's burst becomes a steady trickle).
 */
public final class RefractoryFilter implements EventFilter {

    private static final long NEVER = Long.MIN_VALUE / 4;

    private final int width;
    private final int height;
    private final long periodUs;
    private final long[] lastPassed;

    public RefractoryFilter(SensorGeometry g, long periodUs) {
        if (periodUs <= 0) {
            throw new IllegalArgumentException("refractory period must be positive: " + periodUs + " us");
        }
        this.width = g.width();
        this.height = g.height();
        this.periodUs = periodUs;
        this.lastPassed = new long[width * height];
        Arrays.fill(lastPassed, NEVER);
    }

    @Override
    public int filter(EventPacket p, int[] index, int n) {
        int kept = 0;
        for (int k = 0; k < n; k++) {
            int i = index[k];
            if (passes(p.x(i), p.y(i), p.timestampUs(i))) {
                index[kept++] = i;
            }
        }
        return kept;
    }

    @Override
    public boolean accept(int x, int y, int polarity, long t) {
        return passes(x, y, t);
    }

    private boolean passes(int x, int y, long t) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return false;
        }
        int i = y * width + x;
        if (t - lastPassed[i] < periodUs) {
            return false;
        }
        lastPassed[i] = t;
        return true;
    }

    @Override
    public String name() {
        return "refractory";
    }
}
