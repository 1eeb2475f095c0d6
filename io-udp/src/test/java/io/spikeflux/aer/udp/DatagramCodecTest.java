package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three datagram codecs without sockets: bytes on the wire, decoded events, malformed input. */
class DatagramCodecTest {

    private static final SensorGeometry G = new SensorGeometry(346, 260);

    private static EventPacket events() {
        return new EventPacket("cam", G, 1, 4, new short[]{0, 345, 17, 200}, new short[]{0, 259, 100, 3},
                new byte[]{1, 0, 1, 0}, new long[]{10, 20, 1_000_000, 4_000_000_000L});
    }

    private static SourceState source(WireProtocol protocol) {
        AddressLayout layout = AddressLayout.forGeometry(G);
        return new SourceState("127.0.0.1:5000", G, layout, new SensorCounters("127.0.0.1:5000"));
    }

    private static ByteBuf wire(WireProtocol protocol, EventPacket p, long sequence) {
        ByteBuffer out = ByteBuffer.allocate(65_507);
        protocol.codec().encode(p, 0, p.size(), sequence, "cam", AddressLayout.forGeometry(G), out);
        return Unpooled.wrappedBuffer(out);
    }

    @Test
    void everyProtocolRoundTripsEventsAndSequence() {
        for (WireProtocol protocol : WireProtocol.values()) {
            EventPacket in = events();
            ByteBuf d = wire(protocol, in, 42);
            try {
                EventPacket out = protocol.codec().decode(d, source(protocol), 0, 0L, null);
                assertEquals(in.size(), out.size(), protocol.name());
                for (int i = 0; i < in.size(); i++) {
                    assertEquals(in.x(i), out.x(i), protocol + " x of event " + i);
                    assertEquals(in.y(i), out.y(i), protocol + " y of event " + i);
                    assertEquals(in.polarity(i), out.polarity(i), protocol + " polarity of event " + i);
                }
                if (protocol.codec().sequenced()) {
                    assertEquals(42, out.sequence(), protocol.name());
                }
            } finally {
                d.release();
            }
        }
    }

    @Test
    void jaerBytesOnTheWireAreBigEndianSequenceThenAddressAndTimestampPerEvent() {
        ByteBuf d = wire(WireProtocol.JAER, events(), 7);
        try {
            assertEquals(4 + 8 * 4, d.readableBytes());
            assertEquals(7, d.getInt(0));
            assertEquals(10, d.getInt(8), "timestamp of the first event, after its address");
            assertEquals(1_000_000, d.getInt(4 + 8 * 2 + 4));
        } finally {
            d.release();
        }
    }

    @Test
    void malformedDatagramsAreRejectedWithAReason() {
        ByteBuf shortOne = Unpooled.wrappedBuffer(new byte[]{1, 2});
        ByteBuf ragged = Unpooled.wrappedBuffer(new byte[4 + 5]);
        ByteBuf outside = Unpooled.buffer();
        outside.writeInt(1);
        outside.writeInt((511 << 22) | (1023 << 12)); // a DAVIS address with x = 1023, y = 511: outside 346x260
        outside.writeInt(5);
        try {
            SourceState s = source(WireProtocol.JAER);
            DatagramCodec jaer = WireProtocol.JAER.codec();
            assertTrue(assertThrows(MalformedDatagramException.class, () -> jaer.decode(shortOne, s, 0, 0L, null)).getMessage()
                    .contains("short"));
            assertTrue(assertThrows(MalformedDatagramException.class, () -> jaer.decode(ragged, s, 0, 0L, null)).getMessage()
                    .contains("not 4 + 8 per event"));
            assertThrows(MalformedDatagramException.class, () -> jaer.decode(outside, s, 0, 0L, null));
            ByteBuf garbage = Unpooled.wrappedBuffer(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            try {
                assertThrows(MalformedDatagramException.class,
                        () -> WireProtocol.PROTO.codec().decode(garbage, source(WireProtocol.PROTO), 0, 0L, null));
            } finally {
                garbage.release();
            }
        } finally {
            shortOne.release();
            ragged.release();
            outside.release();
        }
    }

    @Test
    void timestampsUnwrapAcrossTheThirtyTwoBitBoundary() {
        SourceState s = source(WireProtocol.JAER);
        long[] decoded = new long[2];
        long[] sent = {4_294_967_000L, 4_294_967_296L + 500};
        for (int k = 0; k < 2; k++) {
            EventPacket p = new EventPacket("cam", G, k + 1, 1, new short[]{1}, new short[]{1}, new byte[]{1},
                    new long[]{sent[k]});
            ByteBuf d = wire(WireProtocol.JAER, p, k + 1);
            try {
                decoded[k] = WireProtocol.JAER.codec().decode(d, s, 0, 0L, null).timestampUs(0);
            } finally {
                d.release();
            }
        }
        assertEquals(796, decoded[1] - decoded[0], "time goes on past 2^32 µs");
    }
}
