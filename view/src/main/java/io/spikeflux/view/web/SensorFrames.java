package io.spikeflux.view.web;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each sensor has seen since the last frame: ON and OFF events counted on a grid downsampled
 * on the server (at most {@link #MAX_SIDE} cells on the longer side), so a browser gets a few kB per
 * sensor and frame whatever the camera's resolution and event rate.
 * <p>
 * {@link #accept} runs where packets arrive; {@link #drain} on the view's timer. Each sensor's
 * grid is guarded by its own lock, taken once per packet, not per event.
 */
public final class SensorFrames {

    /** Longer side of a frame in cells. */
    public static final int MAX_SIDE = 128;
    /** Sensors beyond this many are not drawn (the engine's own limit is usually lower). */
    private static final int MAX_SENSORS = 1024;

    private final ConcurrentHashMap<String, Grid> grids = new ConcurrentHashMap<>();

    /** Counts a packet's events into its sensor's grid. */
    public void accept(EventPacket p) {
        if (p.size() == 0) {
            return;
        }
        Grid g = grids.get(p.sensorId());
        if (g == null && grids.size() >= MAX_SENSORS) {
            return;
        }
        if (g == null || !g.geometry.equals(p.geometry())) {
            // a new sensor, or one that restarted with another size
            g = grids.compute(p.sensorId(), (id, old) -> old != null && old.geometry.equals(p.geometry()) ? old
                    : new Grid(id, p.geometry()));
        }
        g.add(p);
    }

    /** Forgets a sensor (its pipeline was evicted); it reappears with its next packet. */
    public void forget(String sensorId) {
        grids.remove(sensorId);
    }

    /**
     * One binary frame message per sensor with its counts since the last call, which are reset.
     * Layout (little-endian): u8 kind = 1, u16 id length, id (UTF-8), u16 width, u16 height,
     * u16 sensor width, u16 sensor height, u32 events, then one byte per cell row by row:
     * 0 = silent, 1..127 = ON level, 129..255 = OFF level (128 + level); the level grows with the
     * cell's count relative to the frame's busiest cells.
     */
    public List<Frame> drain() {
        List<Frame> out = new ArrayList<>(grids.size());
        for (Grid g : grids.values()) {
            out.add(g.drain());
        }
        return out;
    }

    /** One sensor's frame: its events since the previous frame and the encoded message. */
    public record Frame(String sensorId, long events, byte[] message) {
    }

    public int sensors() {
        return grids.size();
    }

    private static final class Grid {
        final String sensorId;
        final SensorGeometry geometry;
        final int factor;
        final int width;
        final int height;
        final int[] on;
        final int[] off;
        long events;

        Grid(String sensorId, SensorGeometry geometry) {
            this.sensorId = sensorId;
            this.geometry = geometry;
            this.factor = Math.max(1, (Math.max(geometry.width(), geometry.height()) + MAX_SIDE - 1) / MAX_SIDE);
            this.width = (geometry.width() + factor - 1) / factor;
            this.height = (geometry.height() + factor - 1) / factor;
            this.on = new int[width * height];
            this.off = new int[width * height];
        }

        synchronized void add(EventPacket p) {
            int n = p.size();
            int sw = geometry.width();
            int sh = geometry.height();
            for (int i = 0; i < n; i++) {
                int x = p.x(i);
                int y = p.y(i);
                if (x >= sw || y >= sh) {
                    continue;
                }
                int cell = (y / factor) * width + x / factor;
                if (p.polarity(i) != 0) {
                    on[cell]++;
                } else {
                    off[cell]++;
                }
            }
            events += n;
        }

        Frame drain() {
            byte[] id = sensorId.getBytes(StandardCharsets.UTF_8);
            int idLength = Math.min(id.length, 0xFFFF);
            ByteBuffer b = ByteBuffer.allocate(1 + 2 + idLength + 8 + 4 + width * height).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 1).putShort((short) idLength).put(id, 0, idLength)
                    .putShort((short) width).putShort((short) height)
                    .putShort((short) geometry.width()).putShort((short) geometry.height());
            long n;
            synchronized (this) {
                n = events;
                b.putInt((int) Math.min(Integer.MAX_VALUE, events));
                int full = 1;
                for (int i = 0; i < on.length; i++) {
                    full = Math.max(full, Math.max(on[i], off[i]));
                }
                // half the busiest cell is full brightness: edges stay visible next to a hot spot
                full = Math.max(1, full / 2);
                for (int i = 0; i < on.length; i++) {
                    int a = on[i];
                    int c = off[i];
                    byte v = 0;
                    if (a >= c && a > 0) {
                        v = (byte) level(a, full);
                    } else if (c > 0) {
                        v = (byte) (128 + level(c, full));
                    }
                    b.put(v);
                    on[i] = 0;
                    off[i] = 0;
                }
                events = 0;
            }
            return new Frame(sensorId, n, b.array());
        }

        private static int level(int count, int full) {
            return Math.min(127, 24 + (int) (103L * count / full));
        }
    }
}
