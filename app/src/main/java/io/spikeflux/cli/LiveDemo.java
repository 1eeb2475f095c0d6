package io.spikeflux.cli;

import io.spikeflux.live.LiveSession;
import io.spikeflux.view.web.LiveView;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.GroundTruthScorer;
import io.spikeflux.camera.Camera;
import io.spikeflux.camera.ScheduleEntry;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import org.HdrHistogram.Histogram;


import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of the live demo: a replay camera sends recordings over UDP on loopback, a live session
 * classifies them, and the decisions are scored against the camera's schedule.
 */
final class LiveDemo {

    /** Sensor time replayed by the rehearsal before the measured run: all of the bundled recordings. */
    private static final long REHEARSAL_US = 12_000_000;

    /** How much faster than the measured run the rehearsal replays. */
    private static final double REHEARSAL_SPEEDUP = 4;

    /** What a demo run measured. */
    record Result(int samples, int correct, int correctLast, long eventsSent, long eventsReceived, long datagramsSent,
                  SensorCounters.Snapshot counters, long lateEvents, long outsideEvents, double latencyP50Ms,
                  double latencyP99Ms, long decisions, double wallSeconds, double changesPerSample,
                  double correctDecisionShare, long[] timesToFirstCorrectUs) {
        double accuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }
    }

    private final CalibratedModel model;
    private final Camera camera;
    private final WireProtocol protocol;
    private final LiveOptions liveOptions;
    /** The web view to feed, or null. */
    private final FleetOptions fleet;
    private final LiveView view;
    /** Runs once the session listens, before the camera starts (serves the web view). */
    private final Consumer<LiveSession> onSession;
    /** The camera's sensor, as the receiver is told it (jAER and SPIF do not say); null: the model's input. */
    private SensorGeometry sensor;

    LiveDemo(CalibratedModel model, Camera camera, WireProtocol protocol, LiveOptions liveOptions) {
        this(model, camera, protocol, liveOptions, FleetOptions.defaults(), null, s -> { });
    }

    LiveDemo(CalibratedModel model, Camera camera, WireProtocol protocol, LiveOptions liveOptions, FleetOptions fleet,
             LiveView view, Consumer<LiveSession> onSession) {
        this.model = model;
        this.camera = camera;
        this.protocol = protocol;
        this.liveOptions = liveOptions;
        this.fleet = fleet;
        this.view = view;
        this.onSession = onSession;
    }

    /** The camera's sensor is {@code g} (mapped onto the model by the options' fit), not the model's input. */
    LiveDemo withSensor(SensorGeometry g) {
        this.sensor = g;
        return this;
    }

    Result run(double speed, int eventsPerDatagram, Consumer<Classification> onDecision,
               Consumer<InetSocketAddress> onStart) {
        var in = model.network().inputShape();
        SensorGeometry g = sensor != null ? sensor : new SensorGeometry(in.width(), in.height());
        List<ScheduleEntry> schedule = camera.schedule();
        GroundTruthScorer scorer = new GroundTruthScorer(schedule, model.network().classCount(),
                liveOptions.windowMs() * 1000L);
        ReceiverOptions ro = ReceiverOptions.defaults(protocol, g).withPort(0);
        rehearse(ro, g, speed, eventsPerDatagram);
        try (LiveSession session = new LiveSession(model, ro, liveOptions, fleet, c -> {
            scorer.decision(c.windowEndUs(), c.topClass(), c.changed());
            onDecision.accept(c);
            if (view != null) {
                view.decision(c);
            }
        }, view == null ? null : view.packetTap())) {
            onSession.accept(session);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
            onStart.accept(target);
            long start = System.nanoTime();
            long[] sent = new long[2];
            try (UdpEventSender sender = new UdpEventSender(target, protocol, eventsPerDatagram, "demo-camera",
                    AddressLayout.forGeometry(g))) {
                // the camera paces itself with sleeps, on a bounded-elastic thread
                sender.sendAsync(camera.events(), speed, liveOptions.dtUs()).block();
                sent[0] = sender.datagramsSent();
                sent[1] = sender.eventsSent();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            drain(session, sent[0]);
            SensorCounters.Snapshot t = session.totals();
            Histogram lat = session.latencyMicros();
            double p50 = lat.getTotalCount() == 0 ? 0 : lat.getValueAtPercentile(50) / 1000.0;
            double p99 = lat.getTotalCount() == 0 ? 0 : lat.getValueAtPercentile(99) / 1000.0;
            return new Result(scorer.samples(), scorer.correct(), scorer.correctLast(), sent[1], t.events(), sent[0], t,
                    session.classifier().lateEvents(), session.classifier().outsideEvents(), p50, p99,
                    session.classifications(), wall, scorer.changesPerSample(), scorer.correctDecisionShare(),
                    scorer.timesToFirstCorrectUs());
        }
    }

    /**
     * Replays the recordings (up to 12 s of them) at four times the speed through a throwaway
     * session on the measured run's path (camera, UDP, receiver, engine threads, step-closing
     * timers), so the JIT has compiled that path for real packets before the measured run. The
     * engine's own warm-up feeds synthetic packets; methods compiled for those were recompiled in
     * the measured run's first second, which alone put its p99 latency above 2 ms. A rehearsal of
     * only the first 2 s left code that later samples deoptimised (a dense layer's loop, for
     * example): with polling engine threads, stalls of 50-260 ms in the measured run's first second
     * in about one run in four (BENCHMARKS.md, session 8).
     */
    private void rehearse(ReceiverOptions ro, SensorGeometry g, double speed, int eventsPerDatagram) {
        // counters of its own: the summary's filter counts are the measured run's
        LiveOptions rehearsal = liveOptions.withFilters(liveOptions.filters().withFreshCounters());
        try (LiveSession session = new LiveSession(model, ro, rehearsal, fleet, c -> { }, null)) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
            try (UdpEventSender sender = new UdpEventSender(target, protocol, eventsPerDatagram, "rehearsal",
                    AddressLayout.forGeometry(g))) {
                sender.sendAsync(camera.events().takeWhile(p -> p.size() == 0 || p.timestampUs(0) < REHEARSAL_US),
                        REHEARSAL_SPEEDUP * speed, liveOptions.dtUs()).block();
                drain(session, sender.datagramsSent());
            }
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
}
