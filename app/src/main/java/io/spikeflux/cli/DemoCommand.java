package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.GroundTruthScorer;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.camera.ScheduleEntry;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.model.CalibratedModel;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The live demo on bundled data: a camera replays N-MNIST-style recordings over UDP on loopback "
                + "and the engine classifies them live, next to the ground truth.")
final class DemoCommand implements Runnable {

    @Option(names = "--samples", defaultValue = "30", description = "Recordings to replay (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--speed", defaultValue = "1", description = "Replay speed: 1 = real time (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--gap-ms", defaultValue = "100", description = "Silence between samples (default ${DEFAULT-VALUE}).")
    int gapMs;

    @Option(names = "--model", paramLabel = "M.snn", description = "Calibrated event model (default: bundled models/nmnist_cnn.snn).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Labelled recordings (default: bundled data/nmnist-emu).")
    Path data;

    @Option(names = "--protocol", defaultValue = "jaer", description = "jaer | spif | proto (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--events-per-datagram", defaultValue = "512", description = "At most this many events per datagram (default ${DEFAULT-VALUE}).")
    int perDatagram;

    @Mixin
    LiveCliOptions live = new LiveCliOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary as JSON.")
    Path json;

    @Option(names = "--schedule", paramLabel = "FILE", description = "Write the camera's ground-truth schedule as CSV.")
    Path schedulePath;

    @Option(names = "--quiet", description = "Only the summary.")
    boolean quiet;

    @Override
    public void run() {
        Path modelPath = model != null ? model : BundledFiles.resolve("models/nmnist_cnn.snn");
        Path dataDir = data != null ? data : BundledFiles.resolve("data/nmnist-emu");
        CalibratedModel m = CalibratedModel.load(modelPath);
        var in = m.network().inputShape();
        SensorGeometry g = new SensorGeometry(in.width(), in.height());
        WireProtocol wire = WireProtocol.parse(protocol);
        ReplayCamera camera = new ReplayCamera(ReplayCamera.fromDirectory(dataDir, samples), gapMs * 1000L);
        List<ScheduleEntry> schedule = camera.schedule();
        if (schedulePath != null) {
            camera.writeSchedule(schedulePath);
        }
        GroundTruthScorer scorer = new GroundTruthScorer(schedule, m.network().classCount(), live.windowMs * 1000L);
        List<String> names = m.network().classNames();
        ReceiverOptions ro = ReceiverOptions.defaults(wire, g).withPort(0);
        long sensorSpanUs = schedule.isEmpty() ? 0 : schedule.get(schedule.size() - 1).endUs();
        System.out.printf("demo: %s (%s) classifying %d recordings from %s%n", m.network().name(),
                m.calibration().getMethod(), schedule.size(), dataDir);
        try (LiveSession session = new LiveSession(m, ro, live.options(m.dtUs()), c -> {
            scorer.decision(c.windowEndUs(), c.topClass());
            if (c.changed() && !quiet) {
                ScheduleEntry truth = camera.at(c.windowEndUs() - 1);
                String t = truth == null ? "(gap)" : names.get(truth.label());
                String mark = truth == null || c.topClass() < 0 ? " " : c.topClass() == truth.label() ? "✓" : "✗";
                System.out.printf("t=%8.3f s  live %-10s conf %4.2f  latency %6.2f ms   truth %-10s %s%n",
                        c.windowEndUs() / 1e6, c.topName(), c.confidence(), c.latencyMs(), t, mark);
            }
        })) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
            System.out.printf("camera -> %s over UDP (%s), %.0f s of sensor time at %.1fx%n", target, wire,
                    sensorSpanUs / 1e6, speed);
            long start = System.nanoTime();
            long[] sent = new long[2];
            CompletableFuture<Void> camThread = CompletableFuture.runAsync(() -> {
                try (UdpEventSender sender = new UdpEventSender(target, wire, perDatagram, "demo-camera",
                        AddressLayout.forGeometry(g))) {
                    sender.send(camera.events(), speed, m.dtUs());
                    sent[0] = sender.datagramsSent();
                    sent[1] = sender.eventsSent();
                }
            });
            camThread.join();
            double wall = (System.nanoTime() - start) / 1e9;
            drain(session, sent[0]);
            summarize(session, scorer, sent, wall, m);
        }
    }

    /** Waits until every sent datagram is accounted for and the engine has caught up. */
    private static void drain(LiveSession session, long sentDatagrams) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long lastSteps = -1;
        while (System.nanoTime() < deadline) {
            SensorCounters.Snapshot t = session.totals();
            long steps = session.classifier().steps();
            if (t.datagrams() + t.lost() >= sentDatagrams && steps == lastSteps) {
                return;
            }
            lastSteps = steps;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void summarize(LiveSession session, GroundTruthScorer scorer, long[] sent, double wall, CalibratedModel m) {
        SensorCounters.Snapshot t = session.totals();
        Histogram lat = session.latencyMicros();
        double p50 = lat.getTotalCount() == 0 ? 0 : lat.getValueAtPercentile(50) / 1000.0;
        double p99 = lat.getTotalCount() == 0 ? 0 : lat.getValueAtPercentile(99) / 1000.0;
        System.out.println();
        System.out.printf("summary: %d samples, live accuracy %.1f%% (%d correct, majority of decisions per sample)%n",
                scorer.samples(), 100 * scorer.accuracy(), scorer.correct());
        System.out.printf("         events %,d sent, %,d received (%,.0f ev/s over %.1f s)%n", sent[1], t.events(),
                t.events() / wall, wall);
        System.out.printf("         datagrams %,d sent, %,d received, lost %d, dropped %d, malformed %d; late events %d%n",
                sent[0], t.datagrams(), t.lost(), t.droppedDatagrams(), t.malformed(), session.classifier().lateEvents());
        System.out.printf("         latency p50 %.2f ms, p99 %.2f ms (newest event's arrival -> decision), %d decisions%n",
                p50, p99, session.classifications());
        if (json != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.network().name());
            o.put("samples", scorer.samples());
            o.put("correct", scorer.correct());
            o.put("accuracy", scorer.accuracy());
            o.put("events", t.events());
            o.put("events_sent", sent[1]);
            o.put("events_per_s", t.events() / wall);
            o.put("datagrams_sent", sent[0]);
            o.put("datagrams", t.datagrams());
            o.put("lost", t.lost());
            o.put("dropped", t.droppedDatagrams());
            o.put("malformed", t.malformed());
            o.put("late_events", session.classifier().lateEvents());
            o.put("latency_ms_p50", p50);
            o.put("latency_ms_p99", p99);
            o.put("decisions", session.classifications());
            o.put("speed", speed);
            o.put("wall_s", wall);
            Json.write(json, o);
        }
    }
}
