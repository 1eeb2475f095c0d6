package io.spikeflux.aer.tcp;

import io.netty.buffer.Unpooled;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.Aedat4StreamEncoder;
import io.spikeflux.aer.format.Recording;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DvTcpTest {

    private static final Path FILE = Path.of("../io-aer/src/test/resources/events/dvxplorer_lite_sample.aedat4");

    @Test
    void aClientReceivesEveryEventTheServerSends() {
        Recording r = Recording.open(FILE);
        List<EventPacket> packets = r.events().collectList().block();
        long total = packets.stream().mapToLong(EventPacket::size).sum();
        try (DvTcpServer server = DvTcpServer.start("127.0.0.1", 0, r.geometry(), "DVXplorer Lite",
                () -> Flux.fromIterable(packets))) {
            DvTcpClient client = new DvTcpClient("127.0.0.1", server.address().getPort());
            long[] received = new long[2];
            client.packets()
                    .doOnNext(p -> {
                        received[0] += p.size();
                        received[1] = p.geometry().width() * 1000L + p.geometry().height();
                        assertTrue(p.arrivalNanos() > 0, "packets are stamped on arrival");
                    })
                    .takeUntil(p -> received[0] >= total)
                    .blockLast(Duration.ofSeconds(20));
            assertEquals(total, received[0]);
            assertEquals(total, server.eventsSent());
            assertEquals(320_240, received[1], "the geometry comes from the stream's header");
            assertEquals(1, client.connections());
            assertEquals(0, client.failures());
        }
    }

    /** A server that sends {@code bytes} to every client and closes. */
    private static DisposableServer sending(ByteBuffer bytes) {
        return TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes.duplicate()))).then())
                .bindNow();
    }

    @Test
    void aStreamThatIsNotAedat4IsCountedNamedAndRetried() {
        DisposableServer http = sending(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()));
        try {
            DvTcpClient client = new DvTcpClient("127.0.0.1", ((java.net.InetSocketAddress) http.address()).getPort(),
                    Duration.ofMillis(20), Duration.ofMillis(50), 1 << 20);
            awaitFailures(client, 3);
            assertTrue(client.failures() >= 3, "retried: " + client.failures());
            assertTrue(client.connections() >= 3);
            assertTrue(client.lastError().contains("at byte 0") && client.lastError().contains("implausible IOHeader size"),
                    client.lastError());
        } finally {
            http.disposeNow();
        }
    }

    /** Streams from the client until it has failed {@code n} times (a loaded machine may take seconds). */
    private static void awaitFailures(DvTcpClient client, int n) {
        var streaming = client.packets().subscribe(p -> { }, e -> { });
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (client.failures() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streaming.dispose();
        }
    }

    @Test
    void anUnknownCompressionIsNamed() {
        ByteBuffer header = Aedat4StreamEncoder.header(new SensorGeometry(64, 48), "cam");
        ByteBuffer bad = ByteBuffer.allocate(header.limit()).order(ByteOrder.LITTLE_ENDIAN).put(header.duplicate());
        bad.putInt(4 + 24 + 4, 7);
        bad.flip();
        DisposableServer server = sending(bad);
        try {
            DvTcpClient client = new DvTcpClient("127.0.0.1", ((java.net.InetSocketAddress) server.address()).getPort(),
                    Duration.ofMillis(20), Duration.ofMillis(50), 1 << 20);
            awaitFailures(client, 1);
            assertTrue(client.failures() >= 1);
            assertTrue(client.lastError().contains("unknown compression 7"), client.lastError());
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void aStreamCutOffInsideAPacketIsAFailureAfterItsWholePackets() {
        SensorGeometry g = new SensorGeometry(64, 48);
        var b = new io.spikeflux.aer.event.EventPacketBuilder("x", g, 4);
        b.add(1, 2, 1, 10);
        b.add(3, 4, 0, 20);
        ByteBuffer header = Aedat4StreamEncoder.header(g, "cam");
        ByteBuffer packet = Aedat4StreamEncoder.packet(b.build());
        ByteBuffer stream = ByteBuffer.allocate(header.limit() + packet.limit() + 20);
        stream.put(header.duplicate()).put(packet.duplicate()).put(packet.duplicate().limit(20)).flip();
        DisposableServer server = sending(stream);
        try {
            DvTcpClient client = new DvTcpClient("127.0.0.1", ((java.net.InetSocketAddress) server.address()).getPort(),
                    Duration.ofMillis(20), Duration.ofMillis(50), 1 << 20);
            awaitFailures(client, 2);
            long failures = client.failures(); // first: a reconnect between the reads only adds events
            assertTrue(failures >= 2, "each cut-off connection is a failure: " + failures);
            assertTrue(client.events() >= 2L * failures, "the whole packet before the cut arrives: " + client.events());
            assertTrue(client.lastError().contains("at byte " + (header.limit() + packet.limit()))
                    && client.lastError().contains("truncated after 20 bytes"), client.lastError());
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void aRefusedConnectionIsRetriedWithBackOff() {
        DvTcpClient client = new DvTcpClient("127.0.0.1", 1, Duration.ofMillis(20), Duration.ofMillis(40), 1 << 20);
        client.packets().take(Duration.ofMillis(500)).blockLast(Duration.ofSeconds(5));
        assertTrue(client.failures() >= 3, "retries: " + client.failures());
        assertEquals(0, client.connections());
    }
}
