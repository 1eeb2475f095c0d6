package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPIKE-NORM's passes resume at the cut the previous pass recorded instead of simulating every
 * layer below from the input: the thresholds (and channel scales) must be exactly those of the
 * passes that start at the input, for plain stacks, residual networks in both residual modes, and
 * channel-wise thresholds. (The passes from the input are pinned against the engine before
 * resuming existed by {@code GoldenSimulationTest}.)
 */
class SpikeNormResumeTest {

    @ParameterizedTest
    @CsvSource({
            "fmnist_lenet, spike-norm, paper",
            "fmnist_lenet, spike-norm-p99.9-channel, paper",
            "fmnist_vgg, spike-norm, paper",
            "fmnist_resnet, spike-norm, paper",
            "fmnist_resnet, spike-norm-channel, all",
    })
    void resumedPassesAndTheFirstLayersTableGiveTheThresholdsOfPassesFromTheInput(String model, String method,
                                                                                   String residual) {
        SpikingTopology topo = new SpikingTopology(TestModels.load(model));
        Dataset calib = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 6);
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse(method), ResetMode.ZERO, calib.size(), 40,
                3, ResidualMode.valueOf(residual.toUpperCase()), 0f, 2);
        SpikeNormCalibrator reference = new SpikeNormCalibrator(false, -1);
        SnnParameters fromInput = reference.calibrate(topo, calib, s, ProgressListener.NONE).parameters();
        assertEquals(0, reference.tablePasses, "the reference simulates every layer");
        SpikeNormCalibrator resuming = new SpikeNormCalibrator(true, -1);
        SnnParameters resumed = resuming.calibrate(topo, calib, s, ProgressListener.NONE).parameters();
        long calibrated = java.util.stream.IntStream.range(0, topo.layers().size())
                .filter(l -> !(residual.equals("paper") && topo.residualLayers().contains(l))).count();
        // every pass after the first two starts at the cut the previous one recorded
        assertEquals(calibrated - 2, resuming.resumedPasses, "passes that resumed at a cut");
        // a first conv over Poisson frames needs only its largest current: the table's, for the exact maximum
        assertEquals(method.equals("spike-norm") ? 1 : 0, resuming.tablePasses, "passes from the pattern table");
        if (model.equals("fmnist_lenet") && method.equals("spike-norm")) {
            // LeNet's first layer reaches its table's largest current early: the rest is skipped
            assertEquals(1, resuming.tablePassesEndedAtCeiling, "table passes ended at the ceiling");
        }
        // layer-wise maxima pair consecutive layers: a pilot's threshold carries the rest past the
        // layer (in paper mode ResNet's calibrated layers have residual stages between them)
        if (method.equals("spike-norm") && !model.equals("fmnist_resnet")) {
            assertTrue(resuming.lookAheadPasses > 0, "look-aheads");
            assertTrue(resuming.lookAheadSamples > 0, "samples that measured the next layer on the way");
        }
        assertArrayEquals(fromInput.thresholds(), resumed.thresholds(), Arrays.toString(resumed.thresholds()));
        for (int l = 0; l < topo.layers().size(); l++) {
            assertArrayEquals(fromInput.channelScale(l), resumed.channelScale(l), topo.layers().get(l).name());
        }
        assertEquals(fromInput.isChannelWise(), method.endsWith("channel"));
    }

    @ParameterizedTest
    @CsvSource({"fmnist_lenet", "fmnist_vgg"})
    void lookAheadsGiveTheSameThresholdsInWhateverOrderTheyMeetTheLargestCurrent(String model) {
        // the samples with the smallest ANN currents first: the guesses grow sample by sample and
        // most samples measure the next layer at a threshold that is not the final one
        SpikingTopology topo = new SpikingTopology(TestModels.load(model));
        Dataset calib = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 8);
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse("spike-norm"), ResetMode.ZERO,
                calib.size(), 40, 3, ResidualMode.PAPER, 0f, 2);
        SnnParameters reference = new SpikeNormCalibrator(false, -1).calibrate(topo, calib, s, ProgressListener.NONE)
                .parameters();
        for (boolean smallestFirst : new boolean[]{true, false}) {
            SpikeNormCalibrator c = new SpikeNormCalibrator(true, -1, smallestFirst);
            SnnParameters p = c.calibrate(topo, calib, s, ProgressListener.NONE).parameters();
            assertTrue(c.lookAheadPasses > 0, "look-aheads");
            assertTrue(c.lookAheadSamples < c.lookAheadPasses * calib.size(), "samples redone");
            assertArrayEquals(reference.thresholds(), p.thresholds(), smallestFirst + ": " + Arrays.toString(p.thresholds()));
        }
    }

    @Test
    void whenTheRecordingsDoNotFitAPassStartsFurtherBackWithTheSameThresholds() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("fmnist_lenet"));
        Dataset calib = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 6);
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse("spike-norm"), ResetMode.ZERO,
                calib.size(), 40, 3, ResidualMode.PAPER, 0f, 2);
        SnnParameters reference = new SpikeNormCalibrator(false, -1).calibrate(topo, calib, s, ProgressListener.NONE)
                .parameters();
        // a budget for the first samples only: every pass that tried to record starts at the input
        for (long budget : new long[]{0, 40_000}) {
            SpikeNormCalibrator tight = new SpikeNormCalibrator(true, budget);
            SnnParameters p = tight.calibrate(topo, calib, s, ProgressListener.NONE).parameters();
            assertArrayEquals(reference.thresholds(), p.thresholds(), "budget " + budget);
            assertEquals(0, tight.resumedPasses, "budget " + budget + ": passes resumed");
        }
    }
}
