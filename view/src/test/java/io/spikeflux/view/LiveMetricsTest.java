package io.spikeflux.view;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import io.spikeflux.view.metrics.LiveMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine lag a Prometheus scrape reports: it follows the decisions, and grows while events wait undecided. */
class LiveMetricsTest {

    @Test
    void theEngineLagGrowsWithTheEventsTheDecisionsHaveNotCaughtUpWith() throws Exception {
        CalibratedModel model = CalibratedModel.load(Path.of("..", "models", "nmnist_cnn.snn"));
        SensorGeometry g = new SensorGeometry(34, 34);
        try (LiveSession session = new LiveSession(model, ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0),
                new LiveOptions(model.dtUs(), 100, 10, 50), FleetOptions.defaults(), c -> { });
             LiveMetrics metrics = new LiveMetrics(session)) {
            int[] counts = new int[10];
            counts[3] = 5;
            long before = System.nanoTime();
            metrics.decision(new Classification("cam", 0, 100_000, counts, 3, "3", 1.0, 2.0, true, 3));
            long after = System.nanoTime();
            assertEquals(0.002, lag(metrics), 1e-9, "a decision 2 ms after its newest event, nothing since");

            // a packet arrives 500 ms after the decided events and stays undecided: the engine is 500 ms behind
            long decided = before - 2_000_000;
            metrics.packet(packet(decided + 500_000_000L));
            double lag = lag(metrics);
            double slack = (after - before) / 1e9;
            assertEquals(0.500, lag, slack + 1e-6, "lag " + lag);
            metrics.packet(packet(decided + 100_000_000L)); // an older arrival changes nothing
            assertEquals(lag, lag(metrics), 1e-12);
        }
    }

    @Test
    void datagramsRefusedByTheAllowListAreCountedPerSenderAsTheyGrow() throws Exception {
        CalibratedModel model = CalibratedModel.load(Path.of("..", "models", "nmnist_cnn.snn"));
        SensorGeometry g = new SensorGeometry(34, 34);
        ReceiverOptions only = ReceiverOptions.defaults(WireProtocol.JAER, g).withPort(0)
                .withAllowedSources(java.util.Set.of(java.net.InetAddress.getByName("127.0.0.2")));
        try (LiveSession session = new LiveSession(model, only, new LiveOptions(model.dtUs(), 100, 10, 50),
                FleetOptions.defaults(), c -> { });
             LiveMetrics metrics = new LiveMetrics(session);
             java.net.DatagramSocket sender = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            String series = "spikeflux_rejected_datagrams_total{source=\"127.0.0.1\"}";
            send(sender, session, 1, 1);
            metrics.refreshReceiverSources();
            assertEquals(1.0, LiveViewBrowserTest.metricDouble(metrics.scrape(), series));
            send(sender, session, 2, 3);
            assertEquals(3.0, LiveViewBrowserTest.metricDouble(metrics.scrape(), series), "read at each scrape");
        }
    }

    /** Sends {@code count} datagrams from loopback and waits until the session has refused {@code total} in all. */
    private static void send(java.net.DatagramSocket sender, LiveSession session, int count, long total)
            throws Exception {
        byte[] bytes = new byte[16];
        for (int i = 0; i < count; i++) {
            sender.send(new java.net.DatagramPacket(bytes, bytes.length, session.receiver().address()));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (session.rejectedBySource().getOrDefault("127.0.0.1", 0L) < total) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver did not refuse " + total + " datagrams");
            }
            Thread.sleep(10);
        }
    }

    private static EventPacket packet(long arrivalNanos) {
        return new EventPacket("cam", new SensorGeometry(34, 34), 1, 1, new short[]{1}, new short[]{1}, new byte[]{1},
                new long[]{200_000}, arrivalNanos);
    }

    private static double lag(LiveMetrics metrics) {
        return LiveViewBrowserTest.metricDouble(metrics.scrape(), "spikeflux_engine_lag_seconds{sensor=\"cam\"}");
    }
}
