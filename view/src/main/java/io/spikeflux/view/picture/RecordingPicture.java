package io.spikeflux.view.picture;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A picture of a recording: the ON and OFF events of one time window accumulated per pixel
 * (ON green, OFF red, both yellow; brighter for more events), above the event rate over the whole
 * recording with that window marked. Fed packet by packet, so a recording of any length is drawn
 * in the memory of its sensor's pixels.
 */
public final class RecordingPicture {

    /** The rate plot keeps at most this many bins; longer recordings get wider bins. */
    private static final int MAX_RATE_BINS = 4096;
    private static final Color BACKGROUND = new Color(0x10, 0x14, 0x18);
    private static final int MIN_WIDTH = 640;
    private static final int RATE_HEIGHT = 150;
    private static final int CAPTION_HEIGHT = 44;

    private final SensorGeometry geometry;
    private final long fromUs;
    private final long windowUs;
    private final int[] on;
    private final int[] off;
    private long[] rateBins = new long[MAX_RATE_BINS];
    private long binUs = 1000;
    private long firstUs = Long.MIN_VALUE;
    private long lastUs = Long.MIN_VALUE;
    private long events;
    private long windowEvents;
    private long outside;

    /**
     * @param geometry the sensor's size
     * @param fromUs   start of the window, relative to the recording's first event
     * @param windowUs length of the window
     */
    public RecordingPicture(SensorGeometry geometry, long fromUs, long windowUs) {
        if (fromUs < 0 || windowUs <= 0) {
            throw new IllegalArgumentException("the window needs a start >= 0 and a positive length");
        }
        this.geometry = geometry;
        this.fromUs = fromUs;
        this.windowUs = windowUs;
        this.on = new int[geometry.width() * geometry.height()];
        this.off = new int[on.length];
    }

    public void accept(EventPacket p) {
        int n = p.size();
        if (n == 0) {
            return;
        }
        if (firstUs == Long.MIN_VALUE) {
            firstUs = p.timestampUs(0);
        }
        int w = geometry.width();
        for (int i = 0; i < n; i++) {
            long t = p.timestampUs(i) - firstUs;
            if (t < 0) {
                continue; // before the first event: a timestamp that stepped back, kept out of the plot
            }
            long bin = t / binUs;
            while (bin >= MAX_RATE_BINS) {
                coarsen();
                bin = t / binUs;
            }
            rateBins[(int) bin]++;
            events++;
            if (t >= fromUs && t < fromUs + windowUs) {
                int x = p.x(i);
                int y = p.y(i);
                if (x >= w || y >= geometry.height()) {
                    outside++;
                    continue;
                }
                if (p.polarity(i) != 0) {
                    on[y * w + x]++;
                } else {
                    off[y * w + x]++;
                }
                windowEvents++;
            }
        }
        lastUs = Math.max(lastUs, p.lastTimestampUs());
    }

    /** Halves the rate plot's resolution: pairs of bins become one. */
    private void coarsen() {
        long[] merged = new long[MAX_RATE_BINS];
        for (int i = 0; i < MAX_RATE_BINS; i++) {
            merged[i / 2] += rateBins[i];
        }
        rateBins = merged;
        binUs *= 2;
    }

    /** Events that fell in the window. */
    public long windowEvents() {
        return windowEvents;
    }

    /** Events in the window whose address lies outside the sensor (not drawn). */
    public long outsideEvents() {
        return outside;
    }

    public long events() {
        return events;
    }

    /** Upscaled so that small sensors (34x34) are still readable. */
    public int scale() {
        return Math.max(1, (int) Math.ceil((double) MIN_WIDTH / geometry.width()));
    }

    public BufferedImage render(String caption) {
        int s = scale();
        int fw = geometry.width() * s;
        int fh = geometry.height() * s;
        BufferedImage img = new BufferedImage(fw, CAPTION_HEIGHT + fh + RATE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            drawFrame(img, s);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(caption, 8, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(0xB8, 0xC0, 0xD0));
            g.drawString(String.format("%dx%d, %.1f ms from %.1f ms: %,d events (ON green, OFF red)",
                    geometry.width(), geometry.height(), windowUs / 1e3, fromUs / 1e3, windowEvents), 8, 36);
            drawRate(g, 0, CAPTION_HEIGHT + fh, fw, RATE_HEIGHT);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawFrame(BufferedImage img, int s) {
        int w = geometry.width();
        // brightness saturates at the 99th percentile of the busy pixels, so one hot pixel does
        // not leave the rest of the frame black
        int full = Math.max(1, percentile99());
        for (int y = 0; y < geometry.height(); y++) {
            for (int x = 0; x < w; x++) {
                int a = on[y * w + x];
                int b = off[y * w + x];
                if (a == 0 && b == 0) {
                    continue;
                }
                int rgb;
                if (a > 0 && b > 0) {
                    int v = level(a + b, full);
                    rgb = v << 16 | v << 8;
                } else if (a > 0) {
                    int v = level(a, full);
                    rgb = (v / 5) << 16 | v << 8 | v / 3;
                } else {
                    int v = level(b, full);
                    rgb = v << 16 | (v / 5) << 8 | v / 5;
                }
                for (int dy = 0; dy < s; dy++) {
                    for (int dx = 0; dx < s; dx++) {
                        img.setRGB(x * s + dx, CAPTION_HEIGHT + y * s + dy, rgb);
                    }
                }
            }
        }
    }

    private static int level(int count, int full) {
        return count == 0 ? 0 : 96 + (int) (159 * Math.min(1.0, (double) count / full));
    }

    private int percentile99() {
        int[] busy = new int[on.length];
        int n = 0;
        for (int i = 0; i < on.length; i++) {
            int c = on[i] + off[i];
            if (c > 0) {
                busy[n++] = c;
            }
        }
        if (n == 0) {
            return 1;
        }
        Arrays.sort(busy, 0, n);
        return busy[Math.min(n - 1, (int) (0.99 * n))];
    }

    private void drawRate(Graphics2D g, int x0, int y0, int width, int height) {
        g.setColor(new Color(0x1D, 0x24, 0x33));
        g.fillRect(x0, y0, width, height);
        if (events == 0) {
            return;
        }
        int used = (int) Math.min(MAX_RATE_BINS, (lastUs - firstUs) / binUs + 1);
        long peak = 1;
        for (int i = 0; i < used; i++) {
            peak = Math.max(peak, rateBins[i]);
        }
        int top = y0 + 22;
        int plotH = height - 34;
        double spanUs = (double) used * binUs;
        // the window, shaded
        int wx0 = x0 + (int) (width * fromUs / spanUs);
        int wx1 = x0 + Math.max(wx0 - x0 + 2, (int) (width * (fromUs + windowUs) / spanUs));
        g.setColor(new Color(0x3A, 0x4A, 0x6A));
        g.fillRect(wx0, top, Math.min(wx1, x0 + width) - wx0, plotH);
        g.setColor(new Color(0x6C, 0xB4, 0xFF));
        g.setStroke(new BasicStroke(1.2f));
        int px = -1;
        int py = -1;
        for (int i = 0; i < used; i++) {
            int x = x0 + (int) (width * (i + 0.5) / used);
            int y = top + plotH - (int) (plotH * (double) rateBins[i] / peak);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        g.setColor(new Color(0xB8, 0xC0, 0xD0));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format("event rate, peak %,.0f ev/s (bins of %s)   recording %.3f s", peak * 1e6 / binUs,
                binUs >= 1000 ? binUs / 1000 + " ms" : binUs + " µs", (lastUs - firstUs) / 1e6), x0 + 8, y0 + 15);
    }

    public void write(Path file, String caption) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(render(caption), "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the picture: " + e.getMessage(), e);
        }
    }
}
