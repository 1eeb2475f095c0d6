package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The receiver's decoder handler on an EmbeddedChannel: no sockets, no sleeps, every buffer released. */
class EventDatagramDecoderTest {

    private static final SensorGeometry G = new SensorGeometry(346, 260);
    private static final InetSocketAddress HERE = new InetSocketAddress("127.0.0.1", 8991);
    private static final InetSocketAddress CAMERA = new InetSocketAddress("127.0.0.1", 40_000);

    private static DatagramPacket jaer(long sequence, InetSocketAddress from, int... xs) {
        int n = xs.length;
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) xs[i];
            y[i] = 7;
            p[i] = 1;
            t[i] = 100L * i;
        }
        ByteBuffer out = ByteBuffer.allocate(4 + 8 * n);
        WireProtocol.JAER.codec().encode(new EventPacket("cam", G, sequence, n, x, y, p, t), 0, n, sequence, "cam",
                AddressLayout.DAVIS, out);
        return new DatagramPacket(Unpooled.wrappedBuffer(out), HERE, from);
    }

    @Test
    void aKnownSourceIsNamedAndSizedByTheSensorsTable() {
        // the default 34x34 would make x = 300 malformed; the table says this camera is a DAVIS346
        ReceiverOptions options = ReceiverOptions.defaults(WireProtocol.JAER, new SensorGeometry(34, 34))
                .withSources(new SourceTable(java.util.Map.of("127.0.0.1:40000", new SourceTable.Entry("door", G))));
        EventDatagramDecoder decoder = new EventDatagramDecoder(options);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(jaer(1, CAMERA, 300, 4));
        EventPacket p = channel.readInbound();
        assertEquals("door", p.sensorId());
        assertEquals(G, p.geometry());
        assertEquals(300, p.x(0));
        channel.writeInbound(jaer(1, new InetSocketAddress("127.0.0.1", 40_001), 300));
        assertNull(channel.readInbound(), "an unlisted source keeps the default size: x = 300 is malformed");
        assertFalse(channel.finish());
    }

    @Test
    void decodesAndAccountsPerSource() {
        EventDatagramDecoder decoder = new EventDatagramDecoder(ReceiverOptions.defaults(WireProtocol.JAER, G));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(jaer(1, CAMERA, 3, 4, 5));
        EventPacket p = channel.readInbound();
        assertEquals(3, p.size());
        assertEquals(5, p.x(2));
        assertEquals("127.0.0.1:40000", p.sensorId(), "a jAER source is named by its address");

        channel.writeInbound(jaer(1, CAMERA, 9));                 // a repeat: dropped
        channel.writeInbound(jaer(4, CAMERA, 1));                 // 2 and 3 lost
        ByteBuf ragged = Unpooled.wrappedBuffer(new byte[4 + 5]);
        channel.writeInbound(new DatagramPacket(ragged, HERE, CAMERA)); // malformed: dropped
        assertEquals(1, ((EventPacket) channel.readInbound()).size());
        assertNull(channel.readInbound());

        SensorCounters.Snapshot s = decoder.counters().get(0).snapshot();
        assertEquals(4, s.datagrams());
        assertEquals(1, s.duplicated());
        assertEquals(2, s.lost());
        assertEquals(1, s.malformed());
        assertFalse(channel.finish(), "nothing left over");
        assertEquals(0, ragged.refCnt(), "the handler released the datagram");
    }

    @Test
    void sourcesOutsideTheAllowListAreRejectedAndCounted() throws Exception {
        ReceiverOptions only = ReceiverOptions.defaults(WireProtocol.JAER, G)
                .withAllowedSources(Set.of(InetAddress.getByName("10.9.8.7")));
        EventDatagramDecoder decoder = new EventDatagramDecoder(only);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        DatagramPacket d = jaer(1, CAMERA, 1, 2);
        channel.writeInbound(d);
        assertNull(channel.readInbound());
        assertEquals(1, decoder.rejected());
        assertEquals(0, d.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void silentSourcesAreRetiredAndTheirCountsKeptInTheTotal() {
        EventDatagramDecoder decoder = new EventDatagramDecoder(ReceiverOptions.defaults(WireProtocol.JAER, G));
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        for (int port = 40_000; port < 40_100; port++) {
            // a camera restarting on a new port each time
            channel.writeInbound(jaer(1, new InetSocketAddress("127.0.0.1", port), 1, 2, 3));
            channel.readInbound();
        }
        assertEquals(100, decoder.counters().size());
        decoder.retireIdle(System.nanoTime() + 61_000_000_000L, 60_000_000_000L);
        assertEquals(100, decoder.retiredSources());
        assertEquals(1, decoder.counters().size(), "only the retired total is left");
        SensorCounters.Snapshot total = SensorCounters.Snapshot.sum(decoder.counters().stream()
                .map(SensorCounters::snapshot).toList());
        assertEquals(100, total.datagrams());
        assertEquals(300, total.events());
        channel.writeInbound(jaer(7, CAMERA, 1));
        assertEquals(1, ((EventPacket) channel.readInbound()).size(), "a retired source that sends again starts over");
        assertEquals(0, decoder.counters().get(0).snapshot().lost(), "fresh sequence tracking, nothing counted lost");
        assertFalse(channel.finish());
    }
}
