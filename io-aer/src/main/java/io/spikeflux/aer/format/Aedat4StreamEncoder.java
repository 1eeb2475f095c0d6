package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes an AEDAT 4 network stream as DV's TCP output does, uncompressed: the size-prefixed
 * IOHeader (stream 0, type EVTS, the sensor's sizeX/sizeY), then one packet per event packet:
 * {int32 stream id 0, int32 size} and a size-prefixed EVTS flatbuffer of 16-byte events.
 */
public final class Aedat4StreamEncoder {

    private static final int EVENT_SIZE = 16;

    private Aedat4StreamEncoder() {
    }

    /** The stream's first bytes: the IOHeader for a camera of {@code geometry} named {@code source}. */
    public static ByteBuffer header(SensorGeometry geometry, String source) {
        String info = "<dv version=\"2.0\"><node name=\"outInfo\" path=\"/mainloop/output/outInfo/\">"
                + "<node name=\"0\" path=\"/mainloop/output/outInfo/0/\">"
                + "<attr key=\"compression\" type=\"string\">NONE</attr>"
                + "<attr key=\"originalModuleName\" type=\"string\">spikeflux</attr>"
                + "<attr key=\"originalOutputName\" type=\"string\">events</attr>"
                + "<attr key=\"typeDescription\" type=\"string\">Array of events (polarity ON/OFF).</attr>"
                + "<attr key=\"typeIdentifier\" type=\"string\">EVTS</attr>"
                + "<node name=\"info\" path=\"/mainloop/output/outInfo/0/info/\">"
                + "<attr key=\"sizeX\" type=\"int\">" + geometry.width() + "</attr>"
                + "<attr key=\"sizeY\" type=\"int\">" + geometry.height() + "</attr>"
                + "<attr key=\"source\" type=\"string\">" + source.replace("<", "").replace("&", "") + "</attr>"
                + "</node></node></node></dv>";
        byte[] text = info.getBytes(StandardCharsets.UTF_8);
        // [root uoffset][IOHE][vtable 10 bytes][pad] table@24: soffset, compression, pad, dataTablePosition, string uoffset
        int table = 24;
        int string = 48;
        int size = align4(string + 4 + text.length + 1);
        ByteBuffer b = ByteBuffer.allocate(4 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, size);
        int s = 4;
        b.putInt(s, table);
        b.put(s + 4, "IOHE".getBytes(StandardCharsets.ISO_8859_1));
        b.putShort(s + 8, (short) 10).putShort(s + 10, (short) 24);
        b.putShort(s + 12, (short) 4).putShort(s + 14, (short) 8).putShort(s + 16, (short) 16);
        b.putInt(s + table, table - 8);
        b.putInt(s + table + 4, 0); // compression NONE
        b.putLong(s + table + 8, -1L); // no data table on a stream
        b.putInt(s + table + 16, string - (table + 16));
        b.putInt(s + string, text.length);
        b.put(s + string + 4, text);
        return b;
    }

    /** One packet of the stream (stream id 0) holding the events of {@code p}. */
    public static ByteBuffer packet(EventPacket p) {
        int n = p.size();
        // [root][EVTS][vtable 6 bytes][pad] table@16: soffset, vector uoffset; pad; vector@28: length, events@32
        int table = 16;
        int vector = 28;
        int body = 4 + vector + 4 + n * EVENT_SIZE;
        ByteBuffer b = ByteBuffer.allocate(8 + body).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0);
        b.putInt(4, body);
        int s = 12; // after the packet header and the flatbuffer's size prefix
        b.putInt(8, body - 4);
        b.putInt(s, table);
        b.put(s + 4, "EVTS".getBytes(StandardCharsets.ISO_8859_1));
        b.putShort(s + 8, (short) 6).putShort(s + 10, (short) 8).putShort(s + 12, (short) 4);
        b.putInt(s + table, table - 8);
        b.putInt(s + table + 4, vector - (table + 4));
        b.putInt(s + vector, n);
        int e = s + vector + 4;
        for (int i = 0; i < n; i++, e += EVENT_SIZE) {
            b.putLong(e, p.timestampUs(i));
            b.putShort(e + 8, (short) p.x(i));
            b.putShort(e + 10, (short) p.y(i));
            b.put(e + 12, (byte) p.polarity(i));
        }
        return b;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
