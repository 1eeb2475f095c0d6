package io.spikeflux.view;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.view.web.SensorFrames;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SensorFramesTest {

    private static EventPacket packet(String id, SensorGeometry g, int[][] xyp) {
        int n = xyp.length;
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) xyp[i][0];
            y[i] = (short) xyp[i][1];
            p[i] = (byte) xyp[i][2];
        }
        return new EventPacket(id, g, 0, n, x, y, p, new long[n], 0);
    }

    @Test
    void anHdSensorIsDownsampledToAtMost128CellsAndEncodedAsTheBrowserReadsIt() {
        SensorFrames frames = new SensorFrames();
        SensorGeometry hd = new SensorGeometry(1280, 720);
        // factor 10: (0..9, 0..9) is cell 0; (1279, 719) is the last cell (127, 71)
        frames.accept(packet("hd", hd, new int[][]{{0, 0, 1}, {9, 9, 1}, {3, 3, 1}, {4, 4, 1}, {1279, 719, 0}, {5, 15, 0},
                {5, 15, 1}, {5, 15, 0}}));
        List<SensorFrames.Frame> out = frames.drain();
        assertEquals(1, out.size());
        assertEquals(8, out.get(0).events());
        ByteBuffer b = ByteBuffer.wrap(out.get(0).message()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b.get());
        byte[] id = new byte[b.getShort()];
        b.get(id);
        assertEquals("hd", new String(id, StandardCharsets.UTF_8));
        int w = b.getShort();
        int h = b.getShort();
        assertEquals(128, w);
        assertEquals(72, h);
        assertEquals(1280, b.getShort());
        assertEquals(720, b.getShort());
        assertEquals(8, b.getInt());
        byte[] cells = new byte[w * h];
        b.get(cells);
        assertEquals(0, b.remaining());
        int on0 = cells[0] & 0xFF;
        int offLast = cells[w * h - 1] & 0xFF;
        int mixed = cells[w] & 0xFF; // cell (0, 1): two OFF, one ON -> OFF
        // the busiest cell has 4 events, so 2 and more are full brightness
        assertEquals(127, on0, "the busiest cell (4 ON) is full ON");
        assertEquals(128 + 24 + 103 / 2, offLast, "one OFF event: half way");
        assertEquals(255, mixed, "two OFF events against one ON: full OFF");
        int lit = 0;
        for (byte c : cells) {
            lit += c != 0 ? 1 : 0;
        }
        assertEquals(3, lit);
        // the counts were reset: the next frame is empty
        ByteBuffer next = ByteBuffer.wrap(frames.drain().get(0).message()).order(ByteOrder.LITTLE_ENDIAN);
        next.position(1 + 2 + 2 + 8);
        assertEquals(0, next.getInt());
    }

    @Test
    void eventsOutsideTheSensorAreNotDrawn() {
        SensorFrames frames = new SensorFrames();
        frames.accept(packet("s", new SensorGeometry(34, 34), new int[][]{{40, 3, 1}, {3, 3, 1}}));
        byte[] m = frames.drain().get(0).message();
        int lit = 0;
        for (int i = m.length - 34 * 34; i < m.length; i++) {
            lit += m[i] != 0 ? 1 : 0;
        }
        assertEquals(1, lit);
    }
}
