package io.spikeflux.aer.event;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.spikeflux.proto.EventPacketMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The field-by-field wire form against protobuf's generated message, which is the reference. */
class EventPacketMessagesTest {

    private static EventPacket randomPacket(Random r, SensorGeometry g, int n, long firstT) {
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        long now = firstT;
        for (int i = 0; i < n; i++) {
            x[i] = (short) r.nextInt(g.width());
            y[i] = (short) r.nextInt(g.height());
            p[i] = (byte) r.nextInt(2);
            now += r.nextInt(3) == 0 ? r.nextInt(100_000) : r.nextInt(3);
            t[i] = now;
        }
        return new EventPacket("cam", g, 1, n, x, y, p, t);
    }

    /** What the generated builder makes of events [from, to): the reference bytes. */
    private static EventPacketMessage reference(EventPacket p, int from, int to, long sequence, String sensorId) {
        long base = to > from ? p.timestampUs(from) : 0;
        EventPacketMessage.Builder m = EventPacketMessage.newBuilder().setSensorId(sensorId)
                .setSequenceNumber(sequence).setBaseTimestampUs(base);
        m.getGeometryBuilder().setWidth(p.geometry().width()).setHeight(p.geometry().height());
        byte[] pol = new byte[to - from];
        for (int i = from; i < to; i++) {
            m.addX(p.x(i)).addY(p.y(i)).addTimestampOffsetUs((int) (p.timestampUs(i) - base));
            pol[i - from] = (byte) p.polarity(i);
        }
        return m.setPolarity(ByteString.copyFrom(pol)).build();
    }

    private static void assertSamePacket(EventPacket expected, int from, int to, EventPacket actual) {
        assertEquals(to - from, actual.size());
        assertEquals(expected.geometry(), actual.geometry());
        for (int i = from; i < to; i++) {
            int k = i - from;
            assertEquals(expected.x(i), actual.x(k), "x of event " + k);
            assertEquals(expected.y(i), actual.y(k), "y of event " + k);
            assertEquals(expected.polarity(i), actual.polarity(k), "polarity of event " + k);
            assertEquals(expected.timestampUs(i), actual.timestampUs(k), "timestamp of event " + k);
        }
    }

    @Test
    void writesExactlyTheGeneratedMessagesBytesAndReadsThemBack() throws Exception {
        Random r = new Random(3);
        SensorGeometry[] sizes = {new SensorGeometry(34, 34), new SensorGeometry(1280, 720), new SensorGeometry(346, 260)};
        long[] firstTimes = {0, 1, 1_700_000_000_000_000L, -5_000};
        for (int round = 0; round < 40; round++) {
            SensorGeometry g = sizes[round % sizes.length];
            EventPacket p = randomPacket(r, g, 1 + r.nextInt(3000), firstTimes[round % firstTimes.length]);
            int from = r.nextInt(p.size());
            int to = round % 7 == 0 ? from : from + r.nextInt(p.size() - from + 1);
            long sequence = round % 5 == 0 ? 0 : r.nextLong() >>> r.nextInt(64);
            String id = round % 3 == 0 ? "" : "camera-" + round;
            byte[] expected = reference(p, from, to, sequence, id).toByteArray();
            byte[] written = EventPacketMessages.toByteArray(p, from, to, sequence, id);
            assertArrayEquals(expected, written, "round " + round);
            assertEquals(expected.length, EventPacketMessages.serializedSize(p, from, to, sequence, id));

            EventPacket back = EventPacketMessages.read(written, null, "fallback", 7L);
            assertSamePacket(p, from, to, back);
            assertEquals(sequence, back.sequence());
            assertEquals(id.isEmpty() ? "fallback" : id, back.sensorId());
            assertEquals(7L, back.arrivalNanos());
        }
    }

    @Test
    void readsWhatOtherProtobufWritersMayProduce() throws Exception {
        // unpacked repeated fields, reversed field order, a repeated geometry that merges, an
        // unknown field, and one repeated field split over two occurrences
        EventPacket p = randomPacket(new Random(5), new SensorGeometry(640, 480), 5, 1_000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int i = 0; i < 5; i++) {
            out.writeUInt32(8, (int) (p.timestampUs(i) - 900));
        }
        byte[] pol = new byte[5];
        for (int i = 0; i < 5; i++) {
            pol[i] = (byte) (p.polarity(i) == 1 ? 1 : 0);
        }
        out.writeByteArray(7, pol);
        out.writeTag(6, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        int ySize = 0;
        for (int i = 0; i < 3; i++) {
            ySize += CodedOutputStream.computeUInt32SizeNoTag(p.y(i));
        }
        out.writeUInt32NoTag(ySize);
        for (int i = 0; i < 3; i++) {
            out.writeUInt32NoTag(p.y(i));
        }
        out.writeUInt32(6, p.y(3));
        out.writeUInt32(6, p.y(4));
        for (int i = 0; i < 5; i++) {
            out.writeUInt32(5, p.x(i));
        }
        out.writeString(99, "a field from a newer version");
        out.writeSInt64(4, 900);
        out.writeUInt64(3, 42);
        out.writeMessage(2, io.spikeflux.proto.SensorGeometry.newBuilder().setWidth(10).setHeight(480).build());
        out.writeMessage(2, io.spikeflux.proto.SensorGeometry.newBuilder().setWidth(640).build());
        out.writeString(1, "other-writer");
        out.flush();
        byte[] message = bytes.toByteArray();
        EventPacketMessage parsed = EventPacketMessage.parseFrom(message); // the reference reads it too
        assertEquals(5, parsed.getXCount());

        EventPacket back = EventPacketMessages.read(message, null, "", 0L);
        assertSamePacket(p, 0, 5, back);
        assertEquals(42, back.sequence());
        assertEquals("other-writer", back.sensorId());
    }

    @Test
    void hostileMessagesFailWithAReasonAndAllocateNothingTheyDeclare() {
        SensorGeometry g = new SensorGeometry(34, 34);
        // a packed field declaring 2 GB in a 7-byte message
        byte[] huge = {0x2a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x01};
        assertThrows(InvalidProtocolBufferException.class, () -> EventPacketMessages.read(huge, g, "s", 0));
        byte[] truncated = EventPacketMessages.toByteArray(randomPacket(new Random(1), g, 50, 0), 0, 50, 1, "s");
        assertThrows(InvalidProtocolBufferException.class,
                () -> EventPacketMessages.read(java.util.Arrays.copyOf(truncated, truncated.length - 3), g, "s", 0));
        byte[] endGroup = {0x0c};
        assertThrows(InvalidProtocolBufferException.class, () -> EventPacketMessages.read(endGroup, g, "s", 0));

        EventPacketMessage uneven = EventPacketMessage.newBuilder().addX(1).addX(2).addY(1)
                .setPolarity(ByteString.copyFrom(new byte[2])).addTimestampOffsetUs(0).addTimestampOffsetUs(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventPacketMessages.read(uneven.toByteArray(), g, "s", 0));
        assertEquals("field lengths differ (x 2, y 1, polarity 2, timestamps 2)", e.getMessage());

        EventPacketMessage outside = EventPacketMessage.newBuilder().addX(40).addY(1)
                .setPolarity(ByteString.copyFrom(new byte[1])).addTimestampOffsetUs(0).build();
        e = assertThrows(IllegalArgumentException.class, () -> EventPacketMessages.read(outside.toByteArray(), g, "s", 0));
        assertTrue(e.getMessage().startsWith("event (40,1) lies outside the 34x34"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EventPacketMessages.read(outside.toByteArray(), null, "s", 0));
        assertEquals("the packet names no sensor size", e.getMessage());
    }
}
