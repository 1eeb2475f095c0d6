package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.tcp.DvTcpClient;
import io.spikeflux.aer.tcp.DvTcpServer;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.Pacing;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.live.LiveSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-camera acceptance runs: the bundled DVXplorer Lite (320x240), Prophesee Gen3 (640x480)
 * and Gen4.1 (1280x720) recordings replayed over each wire into a live session of the 34x34
 * N-MNIST model, mapped by {@code --fit}: every datagram and event arrives, none is malformed,
 * and a decision comes every emit interval while the recording runs. The Prophesee bursts
 * (10.8 and 25 Mev/s) are replayed slower than real time, which these two shared cores cannot
 * sustain for a test (BENCHMARKS.md has the real-time runs). jAER's addresses cannot carry an
 * HD sensor's rows (y stops at 511), so that pair is absent.
 */
class RealCameraReplayTest {

    private static final Path EVENTS = Path.of("..", "io-aer", "src", "test", "resources", "events");
    private static final CalibratedModel MODEL = CalibratedModel.load(Path.of("..", "models", "nmnist_cnn.snn"));
    private static final int EMIT_MS = 10;
    private static final int REAL_TIME_MARGIN_US = 10_000;

    @ParameterizedTest(name = "{0} over {1}, fit {3}")
    @CsvSource({
            "dvxplorer_lite_sample.aedat4, jaer, 1, crop",
            "dvxplorer_lite_sample.aedat4, spif, 1, stretch",
            "dvxplorer_lite_sample.aedat4, proto, 1, pad",
            "dvxplorer_lite_sample.aedat4, aedat4-tcp, 1, crop",
            "prophesee_gen3_evt2_sample.raw, jaer, 0.1, crop",
            "prophesee_gen3_evt2_sample.raw, spif, 0.1, crop",
            "prophesee_gen3_evt2_sample.raw, proto, 0.1, stretch",
            "prophesee_gen3_evt2_sample.raw, aedat4-tcp, 0.1, pad",
            "prophesee_gen41_evt3_sample.raw, spif, 0.05, crop",
            "prophesee_gen41_evt3_sample.raw, proto, 0.05, pad",
            "prophesee_gen41_evt3_sample.raw, aedat4-tcp, 0.05, stretch"})
    void everyEventArrivesAndDecisionsComeEveryInterval(String file, String protocol, double speed, String fit)
            throws Exception {
        Path path = EVENTS.resolve(file);
        SensorGeometry g = Recording.open(path).geometry();
        ReplayCamera camera = new ReplayCamera(List.of(new LabelledRecording(path, -1)), 0);
        // Steps close when the sensor's clock, tracked against wall time, says they are over: right
        // for a camera, too early for a replay slower than real time. Such a replay closes steps
        // only by later events (--close-margin-us 0), as a user replaying slowly would. In real
        // time the margin is a user's setting for the source's jitter, and small datagrams add
        // to it (README, "Limitations and known gaps"): with the default 0.5 ms, 0.7-5.8% of a
        // SPIF replay's events (128 per datagram) and 0.3-1.6% of a DV TCP replay's were late,
        // counted as they should be; jAER and protobuf none with 512 events per datagram, but
        // 4.2% and 1.1% with 128. With 2 ms still 0.3-3%, with 10 ms at most 0.2%.
        int closeMarginUs = speed < 1 ? 0 : REAL_TIME_MARGIN_US;
        LiveOptions options = new LiveOptions(1000, 100, EMIT_MS, 50, closeMarginUs)
                .withFit(new InputFit(null, FitMode.parse(fit)));
        List<Classification> decisions = Collections.synchronizedList(new ArrayList<>());
        long sent;
        long received;
        long late;
        if (protocol.equals("aedat4-tcp")) {
            // the recording once; the connection then stays open and quiet, as a camera looking at nothing
            try (DvTcpServer server = DvTcpServer.start("127.0.0.1", 0, g, "test camera",
                    () -> Pacing.inTime(camera.events(), speed, 1000).concatWith(reactor.core.publisher.Flux.never()))) {
                DvTcpClient client = new DvTcpClient("127.0.0.1", server.address().getPort());
                try (LiveSession session = new LiveSession(MODEL, client, options, FleetOptions.defaults(), decisions::add,
                        null)) {
                    awaitQuiet(client::events, session);
                    assertEquals(1, client.connections());
                    sent = server.eventsSent();
                    received = client.events();
                    assertEquals(0, client.failures(), "stream errors: " + client.lastError());
                    late = session.classifier().lateEvents();
                }
            }
        } else {
            WireProtocol wire = WireProtocol.parse(protocol);
            ReceiverOptions ro = ReceiverOptions.defaults(wire, g).withPort(0).withReceiveBuffer(16 << 20);
            try (LiveSession session = new LiveSession(MODEL, ro, options, FleetOptions.defaults(), decisions::add, null)) {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
                long datagrams;
                try (UdpEventSender sender = new UdpEventSender(target, wire, 512, "camera", AddressLayout.forGeometry(g))) {
                    sender.sendAsync(camera.events(), speed, 1000).block();
                    sent = sender.eventsSent();
                    datagrams = sender.datagramsSent();
                }
                awaitQuiet(() -> session.totals().datagrams(), session);
                SensorCounters.Snapshot t = session.totals();
                assertEquals(datagrams, t.datagrams(), "every datagram arrived");
                assertEquals(0, t.lost());
                assertEquals(0, t.droppedDatagrams());
                assertEquals(0, t.malformed(), "none malformed");
                received = t.events();
                late = session.classifier().lateEvents();
            }
        }
        assertEquals(sent, received, "every event accounted for");
        assertTrue(sent > 100_000, "the whole recording was sent: " + sent);
        // in real time a few events may arrive after the sensor clock (plus the margin) closed
        // their step, when the test shares the two cores with other work: counted, and few
        assertTrue(late <= (speed < 1 ? 0 : sent / 100), late + " late events of " + sent);
        List<Classification> d;
        synchronized (decisions) {
            d = new ArrayList<>(decisions);
        }
        long span = camera.schedule().get(0).endUs() - camera.schedule().get(0).startUs();
        assertTrue(d.size() >= span / (EMIT_MS * 1000L), d.size() + " decisions over " + span + " µs");
        d.sort(java.util.Comparator.comparingLong(Classification::windowEndUs));
        for (int k = 1; k < d.size(); k++) {
            long gap = d.get(k).windowEndUs() - d.get(k - 1).windowEndUs();
            assertTrue(gap <= EMIT_MS * 1000L, "a decision every " + EMIT_MS + " ms: a gap of " + gap + " µs");
        }
    }

    /** Waits until {@code progress} and the engine's steps have stopped moving (at most 20 s). */
    private static void awaitQuiet(java.util.function.LongSupplier progress, LiveSession session) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = -1;
        long lastSteps = -1;
        int still = 0;
        while (System.nanoTime() < deadline && still < 5) {
            Thread.sleep(100);
            long p = progress.getAsLong();
            long steps = session.classifier().steps();
            still = p == last && steps == lastSteps && p > 0 ? still + 1 : 0;
            last = p;
            lastSteps = steps;
        }
    }
}
