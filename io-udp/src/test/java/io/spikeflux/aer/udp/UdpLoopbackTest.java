package io.spikeflux.aer.udp;

import io.netty.util.LeakPresenceDetector;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.Recording;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sender and receiver on loopback: exact delivery, loss accounting, fuzzing, overload. */
class UdpLoopbackTest {

    private static final Path EVENTS = Path.of("../io-aer/src/test/resources/events");

    @AfterAll
    static void noLeakedBuffers() {
        // Surefire runs io-aer with Netty's LeakPresenceDetector: every ByteBuf must be released.
        System.gc();
        LeakPresenceDetector.check();
    }

    private static List<long[]> rows(Iterable<EventPacket> packets) {
        List<long[]> rows = new ArrayList<>();
        for (EventPacket p : packets) {
            for (int i = 0; i < p.size(); i++) {
                rows.add(new long[]{p.x(i), p.y(i), p.polarity(i), p.timestampUs(i)});
            }
        }
        return rows;
    }

    private static UdpEventReceiver receiver(WireProtocol protocol, SensorGeometry g) {
        return UdpEventReceiver.start(ReceiverOptions.defaults(protocol, g).withPort(0));
    }

    private static UdpEventSender sender(UdpEventReceiver r, WireProtocol protocol, int perDatagram, SensorGeometry g) {
        return new UdpEventSender(new InetSocketAddress("127.0.0.1", r.address().getPort()), protocol, perDatagram,
                "cam0", AddressLayout.forGeometry(g));
    }

    @ParameterizedTest
    @EnumSource(WireProtocol.class)
    void recordedEventsArriveIdentical(WireProtocol protocol) {
        Recording rec = Recording.open(EVENTS.resolve("nmnist_sample.bin"));
        List<long[]> expected = rows(rec.events().toIterable());
        try (UdpEventReceiver r = receiver(protocol, rec.geometry());
             UdpEventSender s = sender(r, protocol, 100, rec.geometry())) {
            List<EventPacket> got = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            var sub = r.packets().subscribe(p -> {
                got.add(p);
                if (got.stream().mapToInt(EventPacket::size).sum() >= expected.size()) {
                    done.countDown();
                }
            });
            s.send(rec.events(), 20, 10_000);
            assertTrue(done.await(10, TimeUnit.SECONDS), "all events arrive");
            sub.dispose();
            List<long[]> actual = rows(got);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(java.util.Arrays.toString(expected.get(i)), java.util.Arrays.toString(actual.get(i)), "event " + i);
            }
            SensorCounters.Snapshot c = SensorCounters.Snapshot.sum(r.counters().stream().map(SensorCounters::snapshot).toList());
            assertEquals(s.datagramsSent(), c.datagrams());
            assertEquals(0, c.lost() + c.malformed() + c.droppedDatagrams() + c.duplicated());
            if (protocol == WireProtocol.PROTO) {
                assertEquals("cam0", got.get(0).sensorId(), "the protobuf datagram names its sensor");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A receiver that recycles its arrays, with a consumer that releases each packet once read:
     * the events arrive identical while most datagrams are decoded into arrays given back earlier.
     */
    @ParameterizedTest
    @EnumSource(value = WireProtocol.class, names = {"JAER", "SPIF"})
    void recycledPacketsCarryTheSameEvents(WireProtocol protocol) throws Exception {
        Recording rec = Recording.open(EVENTS.resolve("nmnist_sample.bin"));
        List<long[]> expected = rows(rec.events().toIterable());
        ReceiverOptions o = ReceiverOptions.defaults(protocol, rec.geometry()).withPort(0).withRecycledPackets();
        try (UdpEventReceiver r = UdpEventReceiver.start(o); UdpEventSender s = sender(r, protocol, 50, rec.geometry())) {
            List<long[]> actual = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            var sub = r.packets().subscribe(p -> {
                actual.addAll(rows(List.of(p)));
                p.release();
                if (actual.size() >= expected.size()) {
                    done.countDown();
                }
            });
            s.send(rec.events(), 20, 10_000);
            assertTrue(done.await(10, TimeUnit.SECONDS), "all events arrive");
            sub.dispose();
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(java.util.Arrays.toString(expected.get(i)), java.util.Arrays.toString(actual.get(i)), "event " + i);
            }
            long datagrams = s.datagramsSent();
            assertTrue(r.arrays().reused() >= datagrams / 2, r.arrays().reused() + " of " + datagrams
                    + " datagrams decoded into recycled arrays");
        }
    }

    @Test
    void forcedLossDuplicationAndReorderingAreCountedExactly() throws Exception {
        SensorGeometry g = new SensorGeometry(34, 34);
        EventPacket p = Recording.open(EVENTS.resolve("nmnist_sample.bin")).events().blockFirst();
        try (UdpEventReceiver r = receiver(WireProtocol.JAER, g); UdpEventSender s = sender(r, WireProtocol.JAER, 10, g)) {
            List<Long> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(6);
            var sub = r.packets().subscribe(x -> {
                seen.add(x.sequence());
                done.countDown();
            });
            long[] order = {1, 2, 4, 3, 5, 5, 7}; // 6 never sent; 3 late; 5 twice
            for (long seq : order) {
                s.sendRaw(p, 0, 10, seq);
                Thread.sleep(5);
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            sub.dispose();
            assertEquals(List.of(1L, 2L, 4L, 3L, 5L, 7L), seen, "the duplicate is dropped, the late one delivered");
            SensorCounters.Snapshot c = r.counters().get(0).snapshot();
            assertEquals(7, c.datagrams());
            assertEquals(1, c.lost(), "6 is lost");
            assertEquals(1, c.reordered(), "3 came late");
            assertEquals(1, c.duplicated(), "5 came twice");
        }
    }

    @ParameterizedTest
    @EnumSource(WireProtocol.class)
    void malformedDatagramsAreCountedAndNeverStopTheReceiver(WireProtocol protocol) throws Exception {
        SensorGeometry g = new SensorGeometry(34, 34);
        Random random = new Random(protocol.ordinal());
        try (UdpEventReceiver r = receiver(protocol, g); DatagramSocket raw = new DatagramSocket()) {
            List<EventPacket> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            var sub = r.packets().subscribe(got::add);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", r.address().getPort());
            int sent = 300;
            for (int i = 0; i < sent; i++) {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                if (protocol == WireProtocol.JAER && junk.length >= 4 && (junk.length - 4) % 8 == 0) {
                    junk = java.util.Arrays.copyOf(junk, junk.length + 1); // keep it malformed: odd length
                }
                raw.send(new DatagramPacket(junk, junk.length, to));
            }
            // then one good datagram still gets through
            try (UdpEventSender s = sender(r, protocol, 10, g)) {
                EventPacket p = Recording.open(EVENTS.resolve("nmnist_sample.bin")).events().blockFirst();
                s.sendRaw(p, 0, 5, 1_000_000);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got.stream().noneMatch(x -> x.size() == 5) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            sub.dispose();
            assertTrue(got.stream().anyMatch(x -> x.size() == 5), "a valid datagram after the junk is delivered");
            SensorCounters.Snapshot c = SensorCounters.Snapshot.sum(r.counters().stream().map(SensorCounters::snapshot).toList());
            assertEquals(sent + 1, c.datagrams(), "every datagram is accounted for");
            // junk may decode by chance (SPIF words inside 34x34, empty protobuf); everything else is malformed
            assertEquals(sent + 1, c.malformed() + c.delivered() + c.duplicated() + c.droppedDatagrams());
            assertTrue(c.malformed() > sent / 2, "most junk is malformed: " + c.malformed());
        }
    }

    @Test
    void stalledConsumerKeepsMemoryBoundedAndCountsDrops() throws Exception {
        SensorGeometry g = new SensorGeometry(34, 34);
        int queue = 64;
        try (UdpEventReceiver r = UdpEventReceiver.start(ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0)
                .withQueuePackets(queue));
             UdpEventSender s = sender(r, WireProtocol.PROTO, 20, g)) {
            CountDownLatch release = new CountDownLatch(1);
            List<EventPacket> consumed = new java.util.concurrent.CopyOnWriteArrayList<>();
            // A consumer that takes one packet and then stalls.
            var sub = r.packets().publishOn(Schedulers.single(), 1).subscribe(p -> {
                consumed.add(p);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            EventPacket p = Recording.open(EVENTS.resolve("nmnist_sample.bin")).events().blockFirst();
            int sent = 2000;
            for (int i = 1; i <= sent; i++) {
                s.sendRaw(p, 0, 20, i);
                if (i % 200 == 0) {
                    Thread.sleep(2);
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            SensorCounters.Snapshot c;
            do {
                Thread.sleep(20);
                c = SensorCounters.Snapshot.sum(r.counters().stream().map(SensorCounters::snapshot).toList());
            } while (c.datagrams() + c.lost() < sent && System.nanoTime() < deadline);
            System.out.println("stall counters: " + c + " consumed " + consumed.size());
            long buffered = c.delivered() - consumed.size();
            assertTrue(buffered <= queue + 2, "at most the queue (plus the operator's prefetch) waits: " + buffered);
            assertTrue(c.droppedDatagrams() > 0, "overflow is dropped");
            assertEquals(c.droppedDatagrams() * 20, c.droppedEvents());
            assertEquals(c.datagrams(), c.delivered() + c.droppedDatagrams(), "every datagram delivered or dropped");
            release.countDown();
            sub.dispose();
        }
    }

    @Test
    void allowListRejectsOtherSources() throws Exception {
        SensorGeometry g = new SensorGeometry(34, 34);
        ReceiverOptions o = ReceiverOptions.defaults(WireProtocol.JAER, g).withPort(0)
                .withAllowedSources(Set.of(InetAddress.getByName("127.0.0.2")));
        try (UdpEventReceiver r = UdpEventReceiver.start(o); UdpEventSender s = sender(r, WireProtocol.JAER, 10, g)) {
            EventPacket p = Recording.open(EVENTS.resolve("nmnist_sample.bin")).events().blockFirst();
            s.sendRaw(p, 0, 10, 1);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (r.rejected() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, r.rejected());
            assertEquals(java.util.Map.of("127.0.0.1", 1L), r.rejectedBySource());
            java.util.function.LongSupplier fromLoopback = r.rejectedFrom("127.0.0.1");
            assertEquals(1, fromLoopback.getAsLong());
            assertEquals(0, r.rejectedFrom("127.0.0.3").getAsLong());
            s.sendRaw(p, 0, 10, 2);
            long again = System.nanoTime() + 2_000_000_000L;
            while (r.rejected() < 2 && System.nanoTime() < again) {
                Thread.sleep(10);
            }
            assertEquals(2, fromLoopback.getAsLong(), "the supplier reads the count as it grows");
            assertTrue(r.counters().isEmpty());
            assertEquals("127.0.0.1", r.address().getAddress().getHostAddress(), "binds to loopback by default");
        }
    }

    @Test
    void packetsFluxCompletesOnClose() {
        UdpEventReceiver r = receiver(WireProtocol.JAER, new SensorGeometry(34, 34));
        StepVerifier.create(r.packets())
                .then(r::close)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
