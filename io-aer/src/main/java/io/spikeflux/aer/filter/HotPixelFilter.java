package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.util.Arrays;
import java.util.Collection;

/**
 * Removes hot pixels: either a given list, or those found during a learning period at the start
 * of the stream, whose event count is far above that of a typical active pixel (more than
 * {@value #FACTOR} times the median count of the pixels that fired, and at least
 * {@value #MIN_EVENTS} events). Events pass while it learns.
 */
public final class HotPixelFilter implements EventFilter {

    static final int FACTOR = 10;
    static final int MIN_EVENTS = 20;

    private final int width;
    private final int height;
    private final boolean[] hot;
    private int[] counts;
    private final long learnUs;
    private long learnUntil = Long.MIN_VALUE;
    private int hotPixels;

    /** Learns the hot pixels over the first {@code learnUs} of the stream. */
    public HotPixelFilter(SensorGeometry g, long learnUs) {
        if (learnUs <= 0) {
            throw new IllegalArgumentException("hot-pixel learning time must be positive: " + learnUs + " us");
        }
        this.width = g.width();
        this.height = g.height();
        this.hot = new boolean[width * height];
        this.counts = new int[width * height];
        this.learnUs = learnUs;
    }

    /** Removes the given pixels ({@code {x, y}} pairs); nothing is learned. */
    public HotPixelFilter(SensorGeometry g, Collection<int[]> pixels) {
        this.width = g.width();
        this.height = g.height();
        this.hot = new boolean[width * height];
        this.learnUs = 0;
        for (int[] p : pixels) {
            if (!g.contains(p[0], p[1])) {
                throw new IllegalArgumentException("hot pixel (" + p[0] + "," + p[1] + ") lies outside the " + g + " sensor");
            }
            hot[p[1] * width + p[0]] = true;
        }
        this.hotPixels = pixels.size();
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

    @Override
    public boolean accept(int x, int y, int polarity, long t) {
        return passes(x, y, t);
    }

    private boolean passes(int x, int y, long t) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return false;
        }
        int i = y * width + x;
        if (counts != null) {
            if (learnUntil == Long.MIN_VALUE) {
                learnUntil = t + learnUs;
            }
            if (t < learnUntil) {
                counts[i]++;
                return true;
            }
            decide();
        }
        return !hot[i];
    }

    private void decide() {
        int[] c = counts;
        counts = null;
        int[] active = Arrays.stream(c).filter(n -> n > 0).sorted().toArray();
        if (active.length == 0) {
            return;
        }
        int median = active[active.length / 2];
        long limit = Math.max(MIN_EVENTS, (long) FACTOR * median);
        for (int i = 0; i < c.length; i++) {
            if (c[i] > limit) {
                hot[i] = true;
                hotPixels++;
            }
        }
    }

    /** Pixels currently removed (0 while learning). */
    public int hotPixels() {
        return hotPixels;
    }

    @Override
    public String name() {
        return "hot-pixels";
    }
}
