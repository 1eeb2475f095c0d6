package io.spikeflux.cli;

import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.PoissonFrameCamera;
import io.spikeflux.camera.ScheduleEntry;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.StepOutcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paper's networks live: a Poisson frame camera streams seeded spikes over UDP into the live
 * engine, which resets between images; every image's output spike counts after T steps equal
 * offline simulation of the same image with the same seed.
 */
class PoissonLiveParityTest {

    private static final int T = 64;
    private static final int IMAGES = 24;
    private static final long SEED = 7;

    @Test
    void liveOutputCountsEqualOfflineForEveryImage() {
        CalibratedModel model = CalibratedModel.load(Path.of("../models/fmnist_vgg.snn"));
        Dataset images = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "t10k", IMAGES);
        PoissonFrameCamera camera = new PoissonFrameCamera(images, model.network().inputShape(), T, model.dtUs(),
                60_000, SEED);
        // window = the image, a decision every step (so one on its last), reset in the 60 ms gap
        LiveOptions options = new LiveOptions(model.dtUs(), T, 1, 30, LiveOptions.DEFAULT_CLOSE_MARGIN_US);
        List<Classification> decisions = Collections.synchronizedList(new ArrayList<>());
        LiveDemo.Result r = new LiveDemo(model, camera, WireProtocol.JAER, options)
                .run(1.0, 512, decisions::add, target -> { });
        assertEquals(r.datagramsSent(), r.counters().datagrams(), "nothing lost on loopback");
        assertEquals(0, r.lateEvents());

        SpikingNetwork offline = new SpikingNetwork(model.topology(), model.parameters());
        List<ScheduleEntry> schedule = camera.schedule();
        int matched = 0;
        for (int i = 0; i < IMAGES; i++) {
            int[] expected = new int[model.network().classCount()];
            SpikingNetwork.Stepper stepper = offline.stepper();
            int prediction = -1;
            for (SpikeStep s : images.get(i).steps(T, SEED + i).collectList().block()) {
                StepOutcome o = stepper.step(s);
                for (int c : o.outputSpikes()) {
                    expected[c]++;
                }
                prediction = o.prediction();
            }
            ScheduleEntry e = schedule.get(i);
            Classification last = null;
            synchronized (decisions) {
                for (Classification c : decisions) {
                    if (c.windowEndUs() > e.startUs() && c.windowEndUs() <= e.endUs() + 1000
                            && (last == null || c.windowEndUs() >= last.windowEndUs())) {
                        last = c;
                    }
                }
            }
            assertTrue(last != null, "image " + i + " got a decision at its end");
            assertEquals(Arrays.toString(expected), Arrays.toString(last.counts()), "output spikes of image " + i);
            if (Arrays.stream(expected).sum() > 0) {
                assertEquals(prediction, last.topClass(), "the class of image " + i + ", ties broken as offline");
            }
            matched++;
        }
        assertEquals(IMAGES, matched);
    }
}
