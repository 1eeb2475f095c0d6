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
                new LiveOptions(model.dtUs(), 100, 10, 50), FleetOptions.defaults(), c -> { })) {
            LiveMetrics metrics = new LiveMetrics(session);
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

    private static EventPacket packet(long arrivalNanos) {
        return new EventPacket("cam", new SensorGeometry(34, 34), 1, 1, new short[]{1}, new short[]{1}, new byte[]{1},
                new long[]{200_000}, arrivalNanos);
    }

    private static double lag(LiveMetrics metrics) {
        return LiveViewBrowserTest.metricDouble(metrics.scrape(), "spikeflux_engine_lag_seconds{sensor=\"cam\"}");
    }
}
