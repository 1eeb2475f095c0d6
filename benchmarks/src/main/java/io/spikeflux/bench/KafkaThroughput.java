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
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

        // 1. direct: cameras -> UDP -> one live engine
        Map<String, GroundTruthScorer> udpScores = scorers(model, recordings, sensors, perSensor);
        Run udp;
        try (LiveSession session = new LiveSession(model, ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0), decisions,
                FleetOptions.defaults(), c -> udpScores.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed()))) {
            udp = replay(recordings, sensors, perSensor, session.receiver().address().getPort(), g, session::classifications);
            Histogram lat = session.latencyMicros();
            udp = udp.withLatency(lat.getValueAtPercentile(50) / 1000.0, lat.getValueAtPercentile(99) / 1000.0);
        }

        try (KafkaBroker broker = new KafkaBroker()) {
            broker.createTopic("events", 4);
            broker.createTopic("decisions", 4);
            Map<String, GroundTruthScorer> kafkaScores = scorers(model, recordings, sensors, perSensor);
            KafkaLiveOptions k = KafkaLiveOptions.of(broker.bootstrapServers(), "events", "engines", "decisions")
                    .withFromStart(true);
            KafkaLiveSession a = new KafkaLiveSession(model, k.withInstanceId("a"), decisions, FleetOptions.defaults(),
                    c -> kafkaScores.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed()));
            KafkaLiveSession b = new KafkaLiveSession(model, k.withInstanceId("b"), decisions, FleetOptions.defaults(),
                    c -> kafkaScores.get(c.sensorId()).decision(c.windowEndUs(), c.topClass(), c.changed()));
            while (a.partitions().size() + b.partitions().size() < 4 || a.partitions().isEmpty() || b.partitions().isEmpty()) {
                Thread.sleep(50);
            }
            // 2. cameras -> UDP -> bridge -> Kafka -> two instances -> out topic
            Run kafka;
            try (UdpEventReceiver bridge = UdpEventReceiver.start(ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0));
                 PacketPublisher publisher = new PacketPublisher(broker.bootstrapServers(), "events")) {
                Disposable bridging = publisher.publishAsReceived(bridge.packets()).subscribe();
                kafka = replay(recordings, sensors, perSensor, bridge.address().getPort(), g,
                        () -> a.decisions() + b.decisions());
                bridging.dispose();
            }
            Histogram e2e = a.endToEndMicros();
            e2e.add(b.endToEndMicros());
            Histogram engine = a.latencyMicros();
            engine.add(b.latencyMicros());
            Histogram transit = a.transitMicros();
            transit.add(b.transitMicros());
            kafka = kafka.withLatency(e2e.getValueAtPercentile(50) / 1000.0, e2e.getValueAtPercentile(99) / 1000.0);
            int samples = sensors * perSensor;
            System.out.printf("%d cameras x %d recordings in real time (%d samples)%n", sensors, perSensor, samples);
            System.out.printf("  UDP -> one live engine:                  %,.0f ev/s, decision latency p50 %.2f ms p99 %.2f ms, "
                    + "%d of %d correct%n", udp.eventsPerSecond, udp.p50Ms, udp.p99Ms, correct(udpScores), samples);
            System.out.printf("  UDP -> bridge -> Kafka -> 2 instances:   %,.0f ev/s (%.2fx the direct rate), end to end p50 %.2f ms "
                            + "p99 %.2f ms (Kafka transit p50 %.0f ms p99 %.0f ms, engine p50 %.2f ms p99 %.2f ms), "
                            + "%d of %d correct; decisions %,d, written to the out topic %,d%n",
                    kafka.eventsPerSecond, kafka.eventsPerSecond / udp.eventsPerSecond, kafka.p50Ms, kafka.p99Ms,
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

    private record Run(double eventsPerSecond, double p50Ms, double p99Ms) {
        Run withLatency(double p50, double p99) {
            return new Run(eventsPerSecond, p50, p99);
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
                              LongSupplier decisions) throws Exception {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        List<UdpEventSender> senders = new ArrayList<>();
        List<Mono<Long>> sends = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < sensors; i++) {
            UdpEventSender s = new UdpEventSender(target, WireProtocol.PROTO, 512, "cam-" + i, AddressLayout.forGeometry(g));
            senders.add(s);
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
        return new Run(events / seconds, 0, 0);
    }
}
