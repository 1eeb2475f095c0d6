package io.spikeflux.aer.event;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * SpikeFlux's own wire form of a packet, {@code EventPacketMessage} (spikeflux/events.proto): it
 * names its sensor and geometry and carries a 64-bit sequence. The same message travels in UDP
 * datagrams and as the value of Kafka records.
 * <p>
 * Written and read field by field with protobuf's coded streams, straight from and into the
 * packet's arrays: the generated message would hold every event boxed in growing lists first
 * (measured: a third of a camera's and a receiver's time at 8 Mev/s). The bytes are exactly the
 * generated message's, and reading accepts whatever a protobuf writer may produce (any field
 * order, packed or unpacked repeated fields, repeated occurrences, unknown fields).
 */
public final class EventPacketMessages {

    private static final int SENSOR_ID = 1;
    private static final int GEOMETRY = 2;
    private static final int SEQUENCE = 3;
    private static final int BASE_TIMESTAMP = 4;
    private static final int X = 5;
    private static final int Y = 6;
    private static final int POLARITY = 7;
    private static final int TIMESTAMP_OFFSET = 8;
    private static final int GEOMETRY_WIDTH = 1;
    private static final int GEOMETRY_HEIGHT = 2;

    private EventPacketMessages() {
    }

    /** The message of events {@code [from, to)} of a packet (timestamps relative to the first) as bytes. */
    public static byte[] toByteArray(EventPacket p, int from, int to, long sequence, String sensorId) {
        Layout layout = Layout.of(p, from, to);
        byte[] bytes = new byte[size(layout, p, from, to, sequence, sensorId)];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            write(layout, p, from, to, sequence, sensorId, out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the array has the message's size
        }
        return bytes;
    }

    /** Bytes the message of events {@code [from, to)} takes. */
    public static int serializedSize(EventPacket p, int from, int to, long sequence, String sensorId) {
        return size(Layout.of(p, from, to), p, from, to, sequence, sensorId);
    }

    /** Writes the message of events {@code [from, to)}; the caller flushes {@code out}. */
    public static void write(EventPacket p, int from, int to, long sequence, String sensorId, CodedOutputStream out)
            throws IOException {
        write(Layout.of(p, from, to), p, from, to, sequence, sensorId, out);
    }

    /** The timestamp base and the byte lengths of the packed fields: one pass over the events. */
    private record Layout(long base, int xBytes, int yBytes, int offsetBytes) {

        static Layout of(EventPacket p, int from, int to) {
            long base = to > from ? p.timestampUs(from) : 0;
            int x = 0;
            int y = 0;
            int offsets = 0;
            for (int i = from; i < to; i++) {
                x += CodedOutputStream.computeUInt32SizeNoTag(p.x(i));
                y += CodedOutputStream.computeUInt32SizeNoTag(p.y(i));
                offsets += CodedOutputStream.computeUInt32SizeNoTag((int) (p.timestampUs(i) - base));
            }
            return new Layout(base, x, y, offsets);
        }
    }

    private static int size(Layout layout, EventPacket p, int from, int to, long sequence, String sensorId) {
        int size = 0;
        if (!sensorId.isEmpty()) {
            size += CodedOutputStream.computeStringSize(SENSOR_ID, sensorId);
        }
        size += CodedOutputStream.computeTagSize(GEOMETRY) + 1 + geometrySize(p.geometry());
        if (sequence != 0) {
            size += CodedOutputStream.computeUInt64Size(SEQUENCE, sequence);
        }
        if (layout.base() != 0) {
            size += CodedOutputStream.computeSInt64Size(BASE_TIMESTAMP, layout.base());
        }
        if (to > from) {
            size += packedSize(X, layout.xBytes()) + packedSize(Y, layout.yBytes())
                    + CodedOutputStream.computeTagSize(POLARITY) + CodedOutputStream.computeUInt32SizeNoTag(to - from) + (to - from)
                    + packedSize(TIMESTAMP_OFFSET, layout.offsetBytes());
        }
        return size;
    }

    private static void write(Layout layout, EventPacket p, int from, int to, long sequence, String sensorId,
                              CodedOutputStream out) throws IOException {
        long base = layout.base();
        if (!sensorId.isEmpty()) {
            out.writeString(SENSOR_ID, sensorId);
        }
        // the geometry is always stated, even 0x0, as the generated builder set it
        out.writeTag(GEOMETRY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(geometrySize(p.geometry()));
        if (p.geometry().width() != 0) {
            out.writeUInt32(GEOMETRY_WIDTH, p.geometry().width());
        }
        if (p.geometry().height() != 0) {
            out.writeUInt32(GEOMETRY_HEIGHT, p.geometry().height());
        }
        if (sequence != 0) {
            out.writeUInt64(SEQUENCE, sequence);
        }
        if (base != 0) {
            out.writeSInt64(BASE_TIMESTAMP, base);
        }
        if (to == from) {
            return;
        }
        out.writeTag(X, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(layout.xBytes());
        for (int i = from; i < to; i++) {
            out.writeUInt32NoTag(p.x(i));
        }
        out.writeTag(Y, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(layout.yBytes());
        for (int i = from; i < to; i++) {
            out.writeUInt32NoTag(p.y(i));
        }
        out.writeTag(POLARITY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(to - from);
        for (int i = from; i < to; i++) {
            out.write((byte) p.polarity(i));
        }
        out.writeTag(TIMESTAMP_OFFSET, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(layout.offsetBytes());
        for (int i = from; i < to; i++) {
            out.writeUInt32NoTag((int) (p.timestampUs(i) - base));
        }
    }

    private static int geometrySize(SensorGeometry g) {
        return (g.width() != 0 ? CodedOutputStream.computeUInt32Size(GEOMETRY_WIDTH, g.width()) : 0)
                + (g.height() != 0 ? CodedOutputStream.computeUInt32Size(GEOMETRY_HEIGHT, g.height()) : 0);
    }

    private static int packedSize(int field, int dataBytes) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(dataBytes) + dataBytes;
    }

    /**
     * A message as a packet.
     *
     * @param fallbackGeometry used when the message names none
     * @param fallbackId       used when the message names no sensor
     * @throws InvalidProtocolBufferException when the bytes are not a protobuf message
     * @throws IllegalArgumentException       saying what is wrong with a well-formed message: field
     *                                        lengths that differ, an event outside the sensor
     */
    public static EventPacket read(byte[] bytes, SensorGeometry fallbackGeometry, String fallbackId,
                                   long arrivalNanos) throws InvalidProtocolBufferException {
        return read(ByteBuffer.wrap(bytes), fallbackGeometry, fallbackId, arrivalNanos);
    }

    /** {@link #read(byte[], SensorGeometry, String, long)} from a buffer's remaining bytes. */
    public static EventPacket read(ByteBuffer bytes, SensorGeometry fallbackGeometry, String fallbackId,
                                   long arrivalNanos) throws InvalidProtocolBufferException {
        try {
            return parse(bytes, fallbackGeometry, fallbackId, arrivalNanos);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e); // coded streams over memory throw only the above
        }
    }

    private static EventPacket parse(ByteBuffer bytes, SensorGeometry fallbackGeometry, String fallbackId,
                                     long arrivalNanos) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        // a limit at the end of the bytes makes every declared length that runs past them
        // "truncated" before anything is sized by it
        in.pushLimit(bytes.remaining());
        String sensorId = "";
        boolean hasGeometry = false;
        int width = 0;
        int height = 0;
        long sequence = 0;
        long base = 0;
        UInt32s xs = new UInt32s();
        UInt32s ys = new UInt32s();
        UInt32s offsets = new UInt32s();
        byte[] polarity = new byte[0];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            if (field == SENSOR_ID && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                sensorId = in.readStringRequireUtf8();
            } else if (field == GEOMETRY && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                // a repeated message field merges: what the later one states wins
                int limit = in.pushLimit(in.readRawVarint32());
                for (int t = in.readTag(); t != 0; t = in.readTag()) {
                    if (t == (GEOMETRY_WIDTH << 3 | WireFormat.WIRETYPE_VARINT)) {
                        width = in.readUInt32();
                    } else if (t == (GEOMETRY_HEIGHT << 3 | WireFormat.WIRETYPE_VARINT)) {
                        height = in.readUInt32();
                    } else if (!in.skipField(t)) {
                        break;
                    }
                }
                in.checkLastTagWas(0);
                in.popLimit(limit);
                hasGeometry = true;
            } else if (field == SEQUENCE && type == WireFormat.WIRETYPE_VARINT) {
                sequence = in.readUInt64();
            } else if (field == BASE_TIMESTAMP && type == WireFormat.WIRETYPE_VARINT) {
                base = in.readSInt64();
            } else if (field == POLARITY && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                polarity = in.readByteArray();
            } else if ((field == X || field == Y || field == TIMESTAMP_OFFSET)
                    && (type == WireFormat.WIRETYPE_LENGTH_DELIMITED || type == WireFormat.WIRETYPE_VARINT)) {
                UInt32s values = field == X ? xs : field == Y ? ys : offsets;
                if (type == WireFormat.WIRETYPE_VARINT) {
                    values.add(in.readUInt32());
                } else {
                    values.addPacked(in);
                }
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.checkLastTagWas(0);
        int n = xs.size;
        if (ys.size != n || polarity.length != n || offsets.size != n) {
            throw new IllegalArgumentException("field lengths differ (x " + n + ", y " + ys.size + ", polarity "
                    + polarity.length + ", timestamps " + offsets.size + ")");
        }
        // a size the message states is checked like any other (SensorGeometry's bounds); only an
        // absent one falls back
        SensorGeometry g = hasGeometry && (width != 0 || height != 0) ? new SensorGeometry(width, height) : fallbackGeometry;
        if (g == null) {
            throw new IllegalArgumentException("the packet names no sensor size");
        }
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        int[] ex = xs.values;
        int[] ey = ys.values;
        int[] offset = offsets.values;
        for (int i = 0; i < n; i++) {
            if (!g.contains(ex[i], ey[i])) {
                throw new IllegalArgumentException("event (" + Integer.toUnsignedString(ex[i]) + ","
                        + Integer.toUnsignedString(ey[i]) + ") lies outside the " + g + " sensor");
            }
            x[i] = (short) ex[i];
            y[i] = (short) ey[i];
            p[i] = polarity[i] != 0 ? (byte) 1 : 0;
            t[i] = base + (offset[i] & 0xFFFFFFFFL);
        }
        return new EventPacket(sensorId.isEmpty() ? fallbackId : sensorId, g, sequence, n, x, y, p, t, arrivalNanos);
    }

    /** The values of one repeated uint32 field, over however many occurrences it has. */
    private static final class UInt32s {
        int[] values = new int[0];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.max(16, size * 2));
            }
            values[size++] = v;
        }

        /** A packed run: room for one value per byte of it, so the common single run is sized once. */
        void addPacked(CodedInputStream in) throws IOException {
            int length = in.readRawVarint32();
            int limit = in.pushLimit(length);
            int room = size + length; // at most one value per byte
            if (values.length < room) {
                values = Arrays.copyOf(values, room);
            }
            while (!in.isAtEnd()) {
                values[size++] = in.readUInt32();
            }
            in.popLimit(limit);
        }
    }
}
