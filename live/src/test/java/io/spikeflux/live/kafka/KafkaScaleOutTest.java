package io.spikeflux.live.kafka;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.kafka.KafkaBroker;
import io.spikeflux.aer.kafka.PacketPublisher;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.GroundTruthScorer;
import io.spikeflux.camera.Pacing;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import io.spikeflux.proto.ClassificationMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Eight cameras into a four-partition topic, two engine instances in one consumer group, against
 * a real Kafka broker in this JVM: every sample is classified, as accurately as one live engine
 * over UDP on the same recordings, with exact counts; then one instance dies mid-stream and the
 * other takes its partitions over from the group's committed offsets with fresh pipelines.
 */
@Timeout(300)
class KafkaScaleOutTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int SENSORS = 8;
    private static final int PER_SENSOR = 10;
    private static KafkaBroker broker;
    private static CalibratedModel model;
    private static List<LabelledRecording> recordings;

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker();
        model = CalibratedModel.load(ROOT.resolve("models/nmnist_cnn.snn"));
        recordings = LabelledRecordings.list(ROOT.resolve("data/nmnist-emu"), 2 * SENSORS * PER_SENSOR);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static ReplayCamera camera(int round, int sensor) {
        int first = (round * SENSORS + sensor) * PER_SENSOR;
        return new ReplayCamera(recordings.subList(first, first + PER_SENSOR), 50_000);
    }

    private static LiveOptions liveOptions() {
        return new LiveOptions(model.dtUs(), 100, 10, 50);
    }

    /** One sensor's decisions scored against its camera's schedule. */
    private static Map<String, GroundTruthScorer> scorers(int round) {
        return scorers(round, 0);
    }

    /** The same for a round replayed {@code shiftUs} later in sensor time. */
    private static Map<String, GroundTruthScorer> scorers(int round, long shiftUs) {
        Map<String, GroundTruthScorer> s = new HashMap<>();
        for (int i = 0; i < SENSORS; i++) {
            List<io.spikeflux.camera.ScheduleEntry> shifted = camera(round, i).schedule().stream()
                    .map(e -> new io.spikeflux.camera.ScheduleEntry(e.index(), e.label(), e.startUs() + shiftUs,
                            e.endUs() + shiftUs, e.source()))
                    .toList();
            s.put("cam-" + i, new GroundTruthScorer(shifted, model.network().classCount(), 100_000));
        }
        return s;
    }

    private static int correct(Map<String, GroundTruthScorer> scorers) {
        return scorers.values().stream().mapToInt(GroundTruthScorer::correct).sum();
    }

    private static int unclassified(Map<String, GroundTruthScorer> scorers) {
        int n = 0;
        for (GroundTruthScorer s : scorers.values()) {
            for (int m : s.majority()) {
                n += m < 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static int udpBaseline() throws Exception {
        Map<String, GroundTruthScorer> scorers = scorers(0);
        SensorGeometry g = new SensorGeometry(34, 34);
        try (LiveSession udp = new LiveSession(model, ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0),
                liveOptions(), FleetOptions.defaults(), c -> scorers.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed()))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.receiver().address().getPort());
            List<UdpEventSender> senders = new ArrayList<>();
            List<Mono<Long>> sends = new ArrayList<>();
            for (int i = 0; i < SENSORS; i++) {
                UdpEventSender s = new UdpEventSender(target, WireProtocol.PROTO, 512, "cam-" + i, AddressLayout.forGeometry(g));
                senders.add(s);
                sends.add(s.sendAsync(camera(0, i).events(), 1.0, model.dtUs()));
            }
            blockOrDumpThreads(Mono.when(sends), "the UDP cameras to finish");
            senders.forEach(UdpEventSender::close);
            long sent = senders.stream().mapToLong(UdpEventSender::datagramsSent).sum();
            // (a first run on a cold JVM took more than 10 s once: the totals say whether it was loss)
            waitFor("the UDP engine to finish", () -> udp.totals().datagrams() == sent, 20,
                    () -> sent + " datagrams sent, received " + udp.totals());
            settle(udp::classifications);
            assertEquals(0, udp.totals().lost());
        }
        assertEquals(0, unclassified(scorers), "UDP: every sample classified");
        return correct(scorers);
    }

    @Test
    void twoInstancesShareTheSensorsAndOneTakesOverWhenTheOtherDies() throws Exception {
        int udpCorrect = udpBaseline();
        broker.createTopic("events", 4);
        broker.createTopic("decisions", 4);
        Map<String, GroundTruthScorer> scorers = scorers(0);
        Map<String, Long> lastDecisionWallNanos = new ConcurrentHashMap<>();
        Map<String, String> decidedBy = new ConcurrentHashMap<>();
        KafkaLiveOptions k = KafkaLiveOptions.of(broker.bootstrapServers(), "events", "engines", "decisions")
                .withSessionTimeout(Duration.ofSeconds(2))
                .withCommitInterval(Duration.ofMillis(200))
                .withFromStart(true);
        Map<String, GroundTruthScorer>[] current = new Map[]{scorers};
        java.util.function.Function<String, java.util.function.Consumer<Classification>> recorder = who -> c -> {
            current[0].get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed());
            lastDecisionWallNanos.put(c.sensorId(), System.nanoTime());
            decidedBy.put(c.sensorId(), who);
        };
        // static members, as a deployment names its instances: a dead one is noticed when its session times out
        KafkaLiveSession a = new KafkaLiveSession(model, k.withInstanceId("engine-a"), liveOptions(), FleetOptions.defaults(),
                recorder.apply("a"));
        KafkaLiveSession b = new KafkaLiveSession(model, k.withInstanceId("engine-b"), liveOptions(), FleetOptions.defaults(),
                recorder.apply("b"));
        try (PacketPublisher publisher = new PacketPublisher(broker.bootstrapServers(), "events")) {
            waitFor("the group to give each instance two partitions",
                    () -> a.partitions().size() == 2 && b.partitions().size() == 2, 30);

            // 1. both instances up: every sample classified, counts exact
            long started = System.nanoTime();
            publish(publisher, 0, 0);
            waitFor("both instances to receive every record", () -> a.records() + b.records() == publisher.records(), 20);
            settle(() -> a.decisions() + b.decisions());
            assertEquals(0, publisher.failed());
            assertEquals(publisher.events(), a.events() + b.events(), "every event reached an engine");
            assertEquals(0, a.malformed() + b.malformed());
            assertEquals(0, unclassified(scorers), "every sample classified");
            int kafkaCorrect = correct(scorers);
            int samples = SENSORS * PER_SENSOR;
            System.out.printf("Kafka: %d of %d correct; one live engine over UDP: %d of %d%n", kafkaCorrect, samples,
                    udpCorrect, samples);
            assertTrue(Math.abs(kafkaCorrect - udpCorrect) <= 0.02 * samples,
                    "accuracy within 2 points of UDP: " + kafkaCorrect + " vs " + udpCorrect + " of " + samples);
            assertTrue(a.decisions() > 0 && b.decisions() > 0, "both instances classify");
            waitFor("every decision to reach the out topic",
                    () -> a.outputsWritten() + b.outputsWritten() == a.decisions() + b.decisions(), 10);
            assertEquals(a.decisions() + b.decisions(), countRecords("decisions"), "the out topic holds every decision");

            // 2. instance a dies mid-stream
            // the cameras stream on: their clocks kept running while they were silent
            long shiftUs = (System.nanoTime() - started) / 1000;
            Map<String, GroundTruthScorer> second = scorers(1, shiftUs);
            current[0] = second;
            Set<TopicPartition> ofA = a.partitions();
            long opened = b.classifier().fleetCounters().opened();
            // which sensors a has is up to the group's assignor and the keys' hashes: not always half
            long sensorsOfA = decidedBy.values().stream().filter("a"::equals).count();
            assertTrue(sensorsOfA > 0, "a decides for some sensors before it dies: " + decidedBy);
            var replay = publishAsync(publisher, 1, shiftUs);
            Thread.sleep(1200);
            long died = System.nanoTime();
            a.abandon();
            long recordsOfA = a.records();
            System.out.printf("a stopped in %.2f s%n", (System.nanoTime() - died) / 1e9);
            Map<TopicPartition, OffsetAndMetadata> committed = broker.committed("engines");
            waitFor("b to own every partition", () -> b.partitions().size() == 4, 15);
            double takeoverS = (System.nanoTime() - died) / 1e9;
            blockOrDumpThreads(replay, "the Kafka cameras to finish");
            waitFor("b to read to the end", () -> recordsOfA + b.records() >= publisher.records(), 30);
            settle(b::decisions);

            System.out.printf("failover: b owned a's partitions %s after %.1f s; took over at %s (the group's "
                    + "committed offsets then: %s)%n", ofA, takeoverS, b.firstOffsets(), committed);
            // not before the session timed out (2 s after a's last heartbeat, sent every 0.5 s), and soon after
            assertTrue(takeoverS >= 1.5 && takeoverS < 2.0 + 3.0,
                    "partitions moved when the session timed out (2 s, plus a rebalance): " + takeoverS);
            for (TopicPartition tp : b.partitions()) {
                if (!ofA.contains(tp)) {
                    assertTrue(b.firstOffsets().get(tp) == 0, tp + ": b kept its own partition (and pipelines) through the rebalance");
                }
            }
            for (TopicPartition tp : ofA) {
                long from = b.firstOffsets().get(tp);
                long expected = committed.containsKey(tp) ? committed.get(tp).offset() : 0;
                assertEquals(expected, from, tp + ": b starts at the group's last committed offset (the records after "
                        + "it are repeated)");
            }
            // the sensors of a's partitions got fresh pipelines on b
            Set<String> moved = new HashSet<>();
            for (int i = 0; i < SENSORS; i++) {
                if (decidedBy.get("cam-" + i).equals("b") && lastDecisionWallNanos.get("cam-" + i) > died) {
                    moved.add("cam-" + i);
                }
            }
            assertEquals(SENSORS, moved.size(), "after the failover b decides for every sensor: " + decidedBy);
            assertTrue(b.classifier().fleetCounters().opened() - opened >= sensorsOfA,
                    "a's " + sensorsOfA + " sensors started fresh pipelines on b");
            // repeated: exactly the records of a's partitions after the group's last commit that a had read
            long repeated = recordsOfA + b.records() - publisher.records();
            long afterCommit = 0;
            for (TopicPartition tp : ofA) {
                afterCommit += a.lastOffsets().get(tp) + 1 - (committed.containsKey(tp) ? committed.get(tp).offset() : 0);
            }
            assertEquals(afterCommit, repeated, "the records repeated are those after the last commit");
            int missed = unclassified(second);
            System.out.printf("failover round: %d of %d correct, %d samples without a decision; a had received %d "
                    + "records, b repeated %d%n", correct(second), SENSORS * PER_SENSOR, missed, recordsOfA,
                    recordsOfA + b.records() - publisher.records());
            assertEquals(0, b.malformed());
            assertEquals(0, missed, "every sample streamed across the failover is classified (late ones by b)");

            // 3. b stops cleanly: its pipelines flush their last decisions, and it commits all it read,
            // so an instance that starts next repeats nothing (as the README says)
            long revokedBefore = b.revokedPartitions();
            b.close();
            assertEquals(4, b.revokedPartitions() - revokedBefore, "leaving the group gives every partition back");
            assertEquals(0, b.droppedOutputs(), "b's decisions all went to the out topic");
            assertEquals(b.decisions(), b.outputsWritten(), "the flushed last decisions included");
            assertEquals(a.outputsWritten() + b.outputsWritten(), countRecords("decisions"),
                    "every decision written is on the out topic");
            Map<TopicPartition, OffsetAndMetadata> finalCommits = broker.committed("engines");
            Map<TopicPartition, Long> ends;
            try (KafkaConsumer<String, byte[]> probe = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
                ends = probe.endOffsets(b.firstOffsets().keySet());
            }
            for (var e : ends.entrySet()) {
                assertNotNull(finalCommits.get(e.getKey()), e.getKey() + ": committed");
                assertEquals(e.getValue(), finalCommits.get(e.getKey()).offset(),
                        e.getKey() + ": a clean stop commits every record it read: a restart repeats nothing");
            }
        } finally {
            b.close();
        }
    }

    @Test
    void theBridgeWritesOneRecordPerReceivedPacketKeyedBySensor() throws Exception {
        broker.createTopic("bridged", 2);
        SensorGeometry g = new SensorGeometry(34, 34);
        long sentEvents;
        long sentDatagrams;
        try (io.spikeflux.aer.udp.UdpEventReceiver bridge = io.spikeflux.aer.udp.UdpEventReceiver.start(
                ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0));
             PacketPublisher publisher = new PacketPublisher(broker.bootstrapServers(), "bridged")) {
            var writing = publisher.publishAsReceived(bridge.packets()).subscribe();
            try (UdpEventSender camera = new UdpEventSender(new InetSocketAddress("127.0.0.1", bridge.address().getPort()),
                    WireProtocol.PROTO, 256, "cam-x", AddressLayout.forGeometry(g))) {
                camera.send(camera(0, 0).events(), 4.0, model.dtUs());
                sentEvents = camera.eventsSent();
                sentDatagrams = camera.datagramsSent();
            }
            waitFor("the bridge to write every packet", () -> publisher.records() == sentDatagrams, 20);
            writing.dispose();
            assertEquals(0, bridge.counters().get(0).snapshot().lost());
        }
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-bridged", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long events = 0;
        long records = 0;
        long lastSequence = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bridged"));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (records < sentDatagrams && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    var p = io.spikeflux.aer.kafka.PacketRecords.packet(r, 0);
                    assertEquals("cam-x", r.key());
                    assertEquals("cam-x", p.sensorId());
                    assertEquals(g, p.geometry());
                    assertEquals(lastSequence + 1, p.sequence(), "the camera's sequence numbers travel on, in order");
                    lastSequence = p.sequence();
                    events += p.size();
                    records++;
                }
            }
        }
        assertEquals(sentDatagrams, records, "one record per datagram");
        assertEquals(sentEvents, events, "every event");
    }

    private static void publish(PacketPublisher publisher, int round, long shiftUs) {
        blockOrDumpThreads(publishAsync(publisher, round, shiftUs), "the Kafka cameras to finish");
    }

    /** Waits for a replay (seconds long); a hang fails with every thread's stack, to see why. */
    private static void blockOrDumpThreads(Mono<Void> replay, String what) {
        try {
            replay.block(Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            Thread.getAllStackTraces().forEach((t, stack) -> {
                System.err.println(t.getName() + " " + t.getState());
                for (StackTraceElement s : stack) {
                    System.err.println("    at " + s);
                }
            });
            fail("timed out waiting for " + what, e);
        }
    }

    private static Mono<Void> publishAsync(PacketPublisher publisher, int round, long shiftUs) {
        List<Mono<Long>> all = new ArrayList<>();
        for (int i = 0; i < SENSORS; i++) {
            all.add(publisher.publish(Pacing.inTime(camera(round, i).events().map(p -> p.shiftedBy(shiftUs)), 1.0,
                    model.dtUs()), "cam-" + i));
        }
        Mono<Void> replay = Mono.when(all).cache();
        replay.subscribe(); // starts now; block() waits for the end
        return replay;
    }

    /** The records of an out topic, each checked to be a decision keyed by its sensor. */
    private static long countRecords(String topic) throws Exception {
        List<ConsumerRecord<String, byte[]>> records = broker.records(topic);
        for (ConsumerRecord<String, byte[]> r : records) {
            assertEquals(r.key(), ClassificationMessage.parseFrom(r.value()).getSensorId());
        }
        return records.size();
    }

    /** Waits until a count stops growing: the engines have made their last decisions. */
    private static void settle(java.util.function.LongSupplier count) throws InterruptedException {
        long seen = -1;
        while (seen != count.getAsLong()) {
            seen = count.getAsLong();
            Thread.sleep(700);
        }
    }

    private static void waitFor(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        waitFor(what, condition, seconds, () -> "");
    }

    private static void waitFor(String what, BooleanSupplier condition, int seconds,
                                java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + (state.get().isEmpty() ? "" : ": " + state.get()));
            }
            Thread.sleep(50);
        }
    }
}
