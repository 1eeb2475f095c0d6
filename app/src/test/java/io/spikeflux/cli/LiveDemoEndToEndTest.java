package io.spikeflux.cli;

import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.data.EventDataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.live.Hysteresis;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job end to end: 100 emulated recordings replayed over UDP on loopback into the live
 * engine (at 4x real time to keep CI short) with the default hysteresis, scored against the
 * camera's ground truth.
 */
class LiveDemoEndToEndTest {

    private static final Path MODEL = Path.of("..", "models", "nmnist_cnn.snn");
    private static final Path DATA = Path.of("..", "data", "nmnist-emu");
    private static final int SAMPLES = 100;

    @Test
    void liveDecisionsMatchOfflineAccuracyWithNoLoss() {
        CalibratedModel model = CalibratedModel.load(MODEL);
        SnnEvaluation offline = SnnEvaluator.evaluate(model.topology(), model.parameters(),
                EventDataset.load(DATA, 34, 34, 1000, 300).limit(SAMPLES), 300, new int[]{300}, 1, 2, ProgressListener.NONE);

        ReplayCamera camera = new ReplayCamera(LabelledRecordings.list(DATA, SAMPLES), 100_000);
        LiveDemo demo = new LiveDemo(model, camera, WireProtocol.JAER, new LiveOptions(1000, 100, 10, 50,
                LiveOptions.DEFAULT_CLOSE_MARGIN_US).withHysteresis(Hysteresis.DEFAULT));
        LiveDemo.Result live = demo.run(4.0, 512, c -> { }, a -> { });

        System.out.printf("offline SNN %.3f, live %.3f (%d/%d), changes per sample %.2f, decisions correct %.3f, "
                        + "datagrams %d, lost %d, dropped %d, latency p50 %.2f ms%n",
                offline.finalAccuracy(), live.accuracy(), live.correct(), live.samples(), live.changesPerSample(),
                live.correctDecisionShare(), live.datagramsSent(), live.counters().lost(),
                live.counters().droppedDatagrams(), live.latencyP50Ms());
        assertEquals(SAMPLES, live.samples());
        assertEquals(live.datagramsSent(), live.counters().datagrams(), "every datagram arrived");
        assertEquals(0, live.counters().lost());
        assertEquals(0, live.counters().droppedDatagrams());
        assertEquals(0, live.counters().malformed());
        assertEquals(live.eventsSent(), live.eventsReceived());
        assertEquals(0, live.lateEvents());
        // a packet read after its arrays went back (poisoned under the tests' assertions) would show here
        assertEquals(0, live.outsideEvents(), "every event lands in the input");
        assertEquals(offline.finalAccuracy(), live.accuracy(), 0.05, "live majority decisions vs offline SNN");
        assertTrue(live.decisions() > SAMPLES * 20, "decisions every 10 ms of sensor time");
        // the default hysteresis keeps the announcement steady (the stable-decisions goal)
        assertTrue(live.changesPerSample() <= 1.5, "announced changes per sample: " + live.changesPerSample());
    }
}
