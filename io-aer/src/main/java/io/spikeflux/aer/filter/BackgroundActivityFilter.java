package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.SensorGeometry;

import java.util.Arrays;

/**
 * Background-activity filter (as jAER's BackgroundActivityFilter and dv-processing's
 * background-activity noise filter): an event passes when one of its 8 neighbours had an event
 * within {@code dtUs} before it. Real edges move across neighbouring pixels; uncorrelated noise
 * events are isolated. Every event, passed or not, stamps its own pixel.
 */
public final class BackgroundActivityFilter implements EventFilter {

    private static final long NEVER = Long.MIN_VALUE / 4;

    private final int width;
    private final int height;
    private final long dtUs;
    /** Last event time per pixel, with a one-pixel border so neighbours need no bounds checks. */
    private final long[] last;
    private final int stride;

    public BackgroundActivityFilter(SensorGeometry g, long dtUs) {
        if (dtUs <= 0) {
            throw new IllegalArgumentException("background filter time must be positive: " + dtUs + " us");
        }
        this.width = g.width();
        this.height = g.height();
        this.dtUs = dtUs;
        this.stride = width + 2;
        this.last = new long[stride * (height + 2)];
        Arrays.fill(last, NEVER);
    }

    @Override
    public boolean accept(int x, int y, int polarity, long t) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return false;
        }
        int i = (y + 1) * stride + x + 1;
        long since = t - dtUs;
        long[] m = last;
        boolean support = m[i - stride - 1] >= since || m[i - stride] >= since || m[i - stride + 1] >= since
                || m[i - 1] >= since || m[i + 1] >= since
                || m[i + stride - 1] >= since || m[i + stride] >= since || m[i + stride + 1] >= since;
        m[i] = t;
        return support;
    }

    @Override
    public String name() {
        return "background";
    }
}
