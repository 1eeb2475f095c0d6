package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.kafka.KafkaBroker;
import io.spikeflux.aer.kafka.PacketRecords;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka commands as a user runs them, against a real broker (KRaft, in this JVM): {@code bridge}
 * from UDP cameras into a topic, and {@code camera --kafka} into a topic that {@code live --kafka}
 * classifies as a member of a consumer group, to its out topic and JSON.
 */
@Timeout(120)
class KafkaCommandsTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void jaerAndSpifCamerasBecomeOneRecordPerDatagramKeyedByTheirNameFromTheSensorsFile(@TempDir Path tmp) throws Exception {
        EventPacket recording = Recording.open(Path.of("../io-aer/src/test/resources/events/nmnist_sample.bin"))
                .events().blockFirst();
        SensorGeometry g = new SensorGeometry(34, 34);
        for (WireProtocol protocol : List.of(WireProtocol.JAER, WireProtocol.SPIF)) {
            String topic = "events-" + protocol.name().toLowerCase();
            broker.createTopic(topic, 2);
            Path sensors = tmp.resolve(topic + ".txt");
            Files.writeString(sensors, "# the camera on this machine\n127.0.0.1 bench-cam 34x34\n");
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            CompletableFuture<Integer> bridge = CompletableFuture.supplyAsync(() -> SpikeFlux.commandLine()
                    .setErr(new java.io.PrintWriter(System.err, true))
                    .execute("bridge", "--kafka", broker.bootstrapServers(), "--topic", topic, "--protocol",
                            protocol.name().toLowerCase(), "--port", Integer.toString(port), "--sensors", sensors.toString(),
                            "--seconds", "4"));
            awaitBound(port, bridge);
            Thread.sleep(500); // and its producer connects
            int datagrams = 0;
            int perDatagram = 100;
            try (UdpEventSender camera = new UdpEventSender(new InetSocketAddress("127.0.0.1", port), protocol, perDatagram,
                    "ignored", AddressLayout.forGeometry(g))) {
                for (int from = 0; from < recording.size(); from += perDatagram) {
                    camera.sendRaw(recording, from, Math.min(recording.size(), from + perDatagram), 1000 + datagrams);
                    datagrams++;
                    Thread.sleep(1);
                }
            }
            assertEquals(0, bridge.get(), protocol + ": bridge's exit code");

            List<EventPacket> read = readAll(topic);
            assertEquals(datagrams, read.size(), protocol + ": one record per datagram");
            long events = 0;
            List<Long> sequences = new ArrayList<>();
            for (EventPacket p : read) {
                assertEquals("bench-cam", p.sensorId(), protocol + ": keyed by the name in the sensors file");
                assertEquals(g, p.geometry());
                events += p.size();
                sequences.add(p.sequence());
            }
            assertEquals(recording.size(), events, protocol + ": every event");
            sequences.sort(Long::compare);
            long first = protocol == WireProtocol.JAER ? 1000 : 1; // jAER's own numbers; SPIF's the receiver's, per source
            for (int i = 0; i < sequences.size(); i++) {
                assertEquals(first + i, sequences.get(i), protocol + ": consecutive sequence numbers");
            }
        }
    }

    @Test
    void aCameraWritesRecordingsToATopicAndLiveClassifiesThemToItsOutTopicAndJson(@TempDir Path tmp) throws Exception {
        broker.createTopic("replays", 2);
        broker.createTopic("replay-decisions", 2);
        String home = System.getProperty("spikeflux.home");
        System.setProperty("spikeflux.home", "..");
        try {
            int camera = SpikeFlux.commandLine().execute("camera", "--kafka", broker.bootstrapServers(), "--topic", "replays",
                    "--cameras", "2", "--sensor-id", "cam", "--recordings", "6", "--speed", "4", "../data/nmnist-emu");
            assertEquals(0, camera, "camera's exit code");
            Path json = tmp.resolve("decisions.jsonl");
            int live = SpikeFlux.commandLine().setErr(new java.io.PrintWriter(System.err, true)).execute("live",
                    "--kafka", broker.bootstrapServers(), "--topic", "replays", "--group", "engines", "--from-start",
                    "--out-topic", "replay-decisions", "--model", "../models/nmnist_cnn.snn", "--json", json.toString(),
                    "--seconds", "12");
            assertEquals(0, live, "live's exit code");
            List<String> lines = Files.readAllLines(json);
            assertTrue(lines.size() > 100, "decisions in the JSON: " + lines.size());
            java.util.Set<String> sensors = new java.util.TreeSet<>();
            for (String l : lines) {
                sensors.add(Json.MAPPER.readTree(l).get("sensor").asText());
            }
            assertEquals(java.util.Set.of("cam-0", "cam-1"), sensors, "both cameras classified");
            assertEquals(lines.size(), broker.records("replay-decisions").size(), "every decision on the out topic too");
        } finally {
            if (home == null) {
                System.clearProperty("spikeflux.home");
            } else {
                System.setProperty("spikeflux.home", home);
            }
        }
    }

    /**
     * Waits until the bridge holds the port, as the kernel's socket table says (binding it here to
     * find out could take it from the bridge), so no datagram is sent before it can be received.
     */
    private static void awaitBound(int port, CompletableFuture<Integer> bridge) throws Exception {
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + 30_000_000_000L;
        // (the JVM's sockets are IPv6 ones unless it prefers IPv4)
        while (java.util.stream.Stream.of("/proc/net/udp", "/proc/net/udp6").map(Path::of).filter(Files::exists)
                .flatMap(f -> {
                    try {
                        return Files.readAllLines(f).stream();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).noneMatch(l -> l.contains(local))) {
            assertTrue(System.nanoTime() < deadline && !bridge.isDone(), "the bridge did not bind port " + port);
            Thread.sleep(50);
        }
    }

    private static List<EventPacket> readAll(String topic) {
        List<EventPacket> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : broker.records(topic)) {
            EventPacket p = PacketRecords.packet(r, System.nanoTime());
            assertEquals(r.key(), p.sensorId(), "key = sensor id");
            out.add(p);
        }
        assertTrue(!out.isEmpty(), "records in " + topic);
        return out;
    }
}
