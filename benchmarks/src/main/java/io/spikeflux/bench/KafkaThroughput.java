package io.spikeflux.bench;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.kafka.KafkaBroker;
import io.spikeflux.aer.kafka.PacketPublisher;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.UdpEventReceiver;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.GroundTruthScorer;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import io.spikeflux.live.kafka.KafkaLiveOptions;
import io.spikeflux.live.kafka.KafkaLiveSession;
import io.spikeflux.proto.ClassificationMessage;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Cameras → bridge → Kafka → two engine instances → out topic, against the same cameras sent
 * straight to one live engine over UDP: events per second, decision latency, accuracy. Everything
 * runs in this JVM on this machine (the broker is Kafka's own, in KRaft mode); the cameras send
 * the bundled N-MNIST recordings in real time over loopback UDP (protobuf), as `spikeflux camera`
 * does, into `spikeflux bridge` resp. `spikeflux live`.
 * <p>
 * Then a backlog run: the recordings written to the topic as fast as they go, then drained by the
 * two instances: the most events per second this path classifies here.
 * <p>
 * Usage: {@code KafkaThroughput [SENSORS] [RECORDINGS_PER_SENSOR]} (default 8 and 10).
 */
public final class KafkaThroughput {

    private KafkaThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int sensors = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perSensor = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        CalibratedModel model = CalibratedModel.load(Paths.repo("models/nmnist_cnn.snn"));
        List<LabelledRecording> recordings = LabelledRecordings.list(Paths.repo("data/nmnist-emu"), sensors * perSensor);
        LiveOptions decisions = new LiveOptions(model.dtUs(), 100, 10, 50);
        SensorGeometry g = new SensorGeometry(34, 34);

        // 1. direct: cameras -> UDP -> one live engine; latency from the camera's send to the decision
        Map<String, GroundTruthScorer> udpScores = scorers(model, recordings, sensors, perSensor);
        Map<String, UdpEventSender> udpCameras = new ConcurrentHashMap<>();
        Histogram udpE2e = new Histogram(3);
        Run udp;
        try (LiveSession session = new LiveSession(model, ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0), decisions,
                FleetOptions.defaults(), c -> {
                    udpScores.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed());
                    record(udpE2e, udpCameras.get(c.sensorId()), c.windowEndUs(), System.nanoTime());
                })) {
            udp = replay(recordings, sensors, perSensor, session.receiver().address().getPort(), g, session::classifications,
                    udpCameras);
            udp = udp.withLatency(udpE2e);
        }

        try (KafkaBroker broker = new KafkaBroker()) {
            broker.createTopic("events", 4);
            broker.createTopic("decisions", 4);
            Map<String, GroundTruthScorer> kafkaScores = scorers(model, recordings, sensors, perSensor);
            KafkaLiveOptions k = KafkaLiveOptions.of(broker.bootstrapServers(), "events", "engines", "decisions")
                    .withFromStart(true);
            Map<String, UdpEventSender> kafkaCameras = new ConcurrentHashMap<>();
            Histogram kafkaMade = new Histogram(3);
            Histogram bridged = new Histogram(3);
            java.util.function.Consumer<io.spikeflux.engine.live.Classification> scored = c -> {
                kafkaScores.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed());
                record(kafkaMade, kafkaCameras.get(c.sensorId()), c.windowEndUs(), System.nanoTime());
            };
            KafkaLiveSession a = new KafkaLiveSession(model, k.withInstanceId("a"), decisions, FleetOptions.defaults(), scored);
            KafkaLiveSession b = new KafkaLiveSession(model, k.withInstanceId("b"), decisions, FleetOptions.defaults(), scored);
            while (a.partitions().size() + b.partitions().size() < 4 || a.partitions().isEmpty() || b.partitions().isEmpty()) {
                Thread.sleep(50);
            }
            // 2. cameras -> UDP -> bridge -> Kafka -> two instances -> out topic, where a reader times
            // each decision against the camera's clock
            Run kafka;
            Histogram kafkaE2e = new Histogram(3);
            AtomicBoolean reading = new AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicReference<Throwable> readerFailure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread outReader = new Thread(() -> {
                try {
                    readDecisions(broker.bootstrapServers(), kafkaCameras, kafkaE2e, reading);
                } catch (Throwable e) {
                    readerFailure.set(e);
                }
            }, "out-topic-reader");
            outReader.start();
            try (UdpEventReceiver bridge = UdpEventReceiver.start(ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0));
                 PacketPublisher publisher = new PacketPublisher(broker.bootstrapServers(), "events")) {
                Disposable bridging = publisher.publishAsReceived(bridge.packets().doOnNext(p ->
                        record(bridged, kafkaCameras.get(p.sensorId()), p.lastTimestampUs(), System.nanoTime()))).subscribe();
                kafka = replay(recordings, sensors, perSensor, bridge.address().getPort(), g,
                        () -> a.decisions() + b.decisions(), kafkaCameras);
                bridging.dispose();
            }
            Thread.sleep(1000);
            reading.set(false);
            outReader.join();
            if (readerFailure.get() != null) {
                throw new IllegalStateException("the out topic's reader failed: no end-to-end latency", readerFailure.get());
            }
            Histogram engine = a.latencyMicros();
            engine.add(b.latencyMicros());
            Histogram transit = a.transitMicros();
            transit.add(b.transitMicros());
            kafka = kafka.withLatency(kafkaE2e);
            int samples = sensors * perSensor;
            System.out.printf("%d cameras x %d recordings in real time (%d samples)%n", sensors, perSensor, samples);
            System.out.printf("  bridge got packets p50 %.2f ms p99 %.2f ms after the camera's send%n",
                    bridged.getValueAtPercentile(50) / 1000.0, bridged.getValueAtPercentile(99) / 1000.0);
            System.out.println("  (latency: from the camera sending a step's events to its decision, read from the "
                    + "engine's callback resp. from the out topic)");
            System.out.printf("  UDP -> one live engine:                  %,.0f ev/s, end to end p50 %.2f ms p99 %.2f ms "
                    + "(%d decisions), %d of %d correct%n", udp.eventsPerSecond, udp.p50Ms, udp.p99Ms, udp.decisionsTimed,
                    correct(udpScores), samples);
            System.out.printf("  UDP -> bridge -> Kafka -> 2 instances -> out topic: %,.0f ev/s (%.2fx the direct rate), end to "
                            + "end p50 %.2f ms p99 %.2f ms (%.1fx resp. %.1fx the direct path's; %d decisions read back; "
                            + "decision made p50 %.2f ms p99 %.2f ms after the camera's send; "
                            + "inside: Kafka transit p50 %.0f ms p99 %.0f ms, engine p50 %.2f ms p99 %.2f ms), "
                            + "%d of %d correct; decisions %,d, written to the out topic %,d%n",
                    kafka.eventsPerSecond, kafka.eventsPerSecond / udp.eventsPerSecond, kafka.p50Ms, kafka.p99Ms,
                    kafka.p50Ms / udp.p50Ms, kafka.p99Ms / udp.p99Ms, kafka.decisionsTimed,
                    kafkaMade.getValueAtPercentile(50) / 1000.0, kafkaMade.getValueAtPercentile(99) / 1000.0,
                    transit.getValueAtPercentile(50) / 1000.0, transit.getValueAtPercentile(99) / 1000.0,
                    engine.getValueAtPercentile(50) / 1000.0, engine.getValueAtPercentile(99) / 1000.0,
                    correct(kafkaScores), samples, a.decisions() + b.decisions(), a.outputsWritten() + b.outputsWritten());

            // 3. backlog: written as fast as possible first, then drained by the two instances
            a.close();
            b.close();
            broker.createTopic("backlog", 4);
            long events = 0;
            try (PacketPublisher publisher = new PacketPublisher(broker.bootstrapServers(), "backlog")) {
                List<Mono<Long>> all = new ArrayList<>();
                for (int i = 0; i < sensors; i++) {
                    all.add(publisher.publish(camera(recordings, i, perSensor).events(), "cam-" + i));
                }
                Mono.when(all).block();
                events = publisher.events();
            }
            KafkaLiveOptions kb = KafkaLiveOptions.of(broker.bootstrapServers(), "backlog", "drain", null).withFromStart(true);
            long t0 = System.nanoTime();
            KafkaLiveSession c1 = new KafkaLiveSession(model, kb, decisions, FleetOptions.defaults(), c -> { });
            KafkaLiveSession c2 = new KafkaLiveSession(model, kb, decisions, FleetOptions.defaults(), c -> { });
            while (c1.events() + c2.events() < events) {
                Thread.sleep(10);
            }
            long steps;
            do {
                steps = c1.classifier().steps() + c2.classifier().steps();
                Thread.sleep(20);
            } while (c1.classifier().steps() + c2.classifier().steps() != steps);
            double seconds = (System.nanoTime() - t0) / 1e9 - 0.02;
            System.out.printf("  backlog of %,d events drained by 2 instances in %.2f s (instances' start included): "
                    + "%,.0f ev/s%n", events, seconds, events / seconds);
            c1.close();
            c2.close();
        }
        System.exit(0);
    }

    private record Run(double eventsPerSecond, double p50Ms, double p99Ms, long decisionsTimed) {
        Run withLatency(Histogram microseconds) {
            synchronized (microseconds) {
                return new Run(eventsPerSecond, microseconds.getValueAtPercentile(50) / 1000.0,
                        microseconds.getValueAtPercentile(99) / 1000.0, microseconds.getTotalCount());
            }
        }
    }

    /** Records a decision's latency from its camera's send of the step's events, when the camera is known. */
    private static void record(Histogram into, UdpEventSender camera, long windowEndUs, long nowNanos) {
        long sent = camera == null ? Long.MIN_VALUE : camera.wallNanosAt(windowEndUs);
        if (sent != Long.MIN_VALUE) {
            synchronized (into) {
                into.recordValue(Math.max(0, (nowNanos - sent) / 1000));
            }
        }
    }

    /** Reads the out topic until told to stop, timing every decision as it arrives. */
    private static void readDecisions(String servers, Map<String, UdpEventSender> cameras, Histogram into,
                                      AtomicBoolean reading) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "latency-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("decisions"));
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    try {
                        ClassificationMessage m = ClassificationMessage.parseFrom(r.value());
                        record(into, cameras.get(r.key()), m.getWindowEndUs(), now);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException("a decision that does not parse on the out topic", e);
                    }
                }
            }
        }
    }

    private static ReplayCamera camera(List<LabelledRecording> recordings, int sensor, int perSensor) {
        return new ReplayCamera(recordings.subList(sensor * perSensor, (sensor + 1) * perSensor), 50_000);
    }

    private static Map<String, GroundTruthScorer> scorers(CalibratedModel model, List<LabelledRecording> recordings,
                                                          int sensors, int perSensor) {
        Map<String, GroundTruthScorer> s = new HashMap<>();
        for (int i = 0; i < sensors; i++) {
            s.put("cam-" + i, new GroundTruthScorer(camera(recordings, i, perSensor).schedule(),
                    model.network().classCount(), 100_000));
        }
        return s;
    }

    private static int correct(Map<String, GroundTruthScorer> scorers) {
        return scorers.values().stream().mapToInt(GroundTruthScorer::correct).sum();
    }

    /** The cameras in real time over UDP; waits until the decisions stop. */
    private static Run replay(List<LabelledRecording> recordings, int sensors, int perSensor, int port, SensorGeometry g,
                              LongSupplier decisions, Map<String, UdpEventSender> cameras) throws Exception {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        List<UdpEventSender> senders = new ArrayList<>();
        List<Mono<Long>> sends = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < sensors; i++) {
            UdpEventSender s = new UdpEventSender(target, WireProtocol.PROTO, 512, "cam-" + i, AddressLayout.forGeometry(g));
            senders.add(s);
            cameras.put("cam-" + i, s);
            sends.add(s.sendAsync(camera(recordings, i, perSensor).events(), 1.0, 1000));
        }
        Mono.when(sends).block(Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long events = senders.stream().mapToLong(UdpEventSender::eventsSent).sum();
        senders.forEach(UdpEventSender::close);
        long seen = -1;
        while (seen != decisions.getAsLong()) {
            seen = decisions.getAsLong();
            Thread.sleep(700);
        }
        return new Run(events / seconds, 0, 0, 0);
    }
}
