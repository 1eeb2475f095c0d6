package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bias and potential correction with the SNN in the loop (Li et al. 2021) on LeNet with reset to
 * zero, whose neurons under-fire (reset to zero loses the charge above the threshold): every
 * layer's mean gap between ANN activation and SNN rate shrinks, the shifts travel in the .snn and
 * evaluate reproduces the corrected run from the file.
 */
class LayerwiseCorrectionTest {

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Correction.class, names = {"BIAS", "POTENTIAL"})
    void correctionShrinksTheRateGapOfEveryLayerAndIsSavedInTheModel(Correction kind, @TempDir Path tmp) throws Exception {
        Network net = TestModels.load("fmnist_lenet");
        SpikingTopology topo = new SpikingTopology(net);
        Dataset calib = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 48);
        // potential correction adds spikes through the initial membrane: with reset to zero it is
        // capped below one threshold (the rest would be lost), so it is shown with subtraction
        ResetMode reset = kind == Correction.BIAS ? ResetMode.ZERO : ResetMode.SUBTRACT;
        CalibrationSettings plain = new CalibrationSettings(CalibrationMethod.parse("ann-p99.9"), reset,
                calib.size(), 0, 1, ResidualMode.PAPER, 0f, 2);
        CalibrationSettings corrected = plain.withCorrection(kind, 32);
        Calibration before = Calibrator.run(topo, calib, plain, ProgressListener.NONE);
        Calibration after = Calibrator.run(topo, calib, corrected, ProgressListener.NONE);
        assertArrayEquals(before.parameters().thresholds(), after.parameters().thresholds(), "thresholds stay");

        double[] gapBefore = LayerwiseCorrector.meanAbsoluteGaps(topo, calib, before.parameters(), corrected);
        double[] gapAfter = LayerwiseCorrector.meanAbsoluteGaps(topo, calib, after.parameters(), corrected);
        // measured, bias: 0.0177 -> 0.0063, 0.0144 -> 0.0095, 0.0282 -> 0.0209, 0.0669 -> 0.0330;
        // potential, reset by subtraction: 0.0055 -> 0.0028, 0.0036 -> 0.0022, 0.0074 -> 0.0038, 0.0189 -> 0.0063
        System.out.println(kind + ": mean |ANN - SNN| rate gap per layer: before " + Arrays.toString(gapBefore) + ", after "
                + Arrays.toString(gapAfter));
        for (int l = 0; l < topo.layers().size(); l++) {
            float[] shift = kind == Correction.BIAS ? after.parameters().currentShift(l) : after.parameters().initialShift(l);
            assertEquals(topo.currentShiftChannels(l), shift.length);
            assertNull(kind == Correction.BIAS ? after.parameters().initialShift(l) : after.parameters().currentShift(l));
            assertNull(before.parameters().currentShift(l));
            assertTrue(gapAfter[l] < 0.85 * gapBefore[l], topo.layers().get(l).name() + ": gap " + gapBefore[l] + " -> "
                    + gapAfter[l]);
            assertTrue(after.layers().get(l).rule().contains(kind.cliName() + " corrected"), after.layers().get(l).rule());
        }

        Path file = tmp.resolve("lenet-bc.snn");
        CalibratedModel.of(Files.readAllBytes(TestModels.path("fmnist_lenet")), net, topo, after, 1000, "fashion-mnist")
                .save(file);
        CalibratedModel loaded = CalibratedModel.load(file);
        assertEquals(kind.cliName(), loaded.calibration().getCorrection());
        assertEquals(32, loaded.calibration().getCorrectionSteps());
        for (int l = 0; l < topo.layers().size(); l++) {
            assertArrayEquals(after.parameters().currentShift(l), loaded.parameters().currentShift(l));
            assertArrayEquals(after.parameters().initialShift(l), loaded.parameters().initialShift(l));
        }
        Dataset test = TestModels.fashionTest(40);
        SnnEvaluation direct = SnnEvaluator.evaluate(topo, after.parameters(), test, 32, new int[]{32}, 3, 2,
                ProgressListener.NONE);
        SnnEvaluation fromFile = SnnEvaluator.evaluate(loaded.topology(), loaded.parameters(), test, 32, new int[]{32}, 3,
                2, ProgressListener.NONE);
        assertEquals(direct.accuracyAtCheckpoint(), fromFile.accuracyAtCheckpoint());
        assertEquals(direct.spikesPerNeuron(), fromFile.spikesPerNeuron());
    }
}
