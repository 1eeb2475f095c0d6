package io.spikeflux.engine.eval;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The models users export from PyTorch (models/pytorch) converted to SNNs, sized for CI: ANN-norm
 * at the 99.9th percentile on 256 training images, reset by subtraction, the first 300 test
 * images at T = 256. The README's table has the full 2,000-image measurement.
 */
class PyTorchExportsConversionTest {

    private static final Dataset TEST = TestModels.fashionTest(300);
    private static final Dataset CALIBRATION = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 256);

    private static SnnEvaluation convert(String model, String method, int calibrationSteps) {
        SpikingTopology topo = new SpikingTopology(TestModels.load("pytorch/" + model));
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse(method), ResetMode.SUBTRACT,
                CALIBRATION.size(), calibrationSteps, 1, ResidualMode.PAPER, 0f, 2);
        Calibration c = Calibrator.run(topo, CALIBRATION, s, ProgressListener.NONE);
        return SnnEvaluator.evaluate(topo, c.parameters(), TEST, 256, SnnEvaluator.defaultCheckpoints(256), 7, 2,
                ProgressListener.NONE);
    }

    @ParameterizedTest(name = "{0}: SNN within {1} points of the ANN")
    @CsvSource({
            "torch_sequential_lenet, 1.5", "torch_bn_normalised, 1.5", "torch_mobilenet_block, 1.5",
            "torch_maxpool_first, 2.5", "torch_mnist_example, 2.5"})
    void convertsWithinBoundsOfTheAnn(String model, double points) {
        SnnEvaluation e = convert(model, "ann-p99.9", 0);
        System.out.printf("%s: ANN %.4f, SNN %s%n", model, e.annAccuracy(), e.accuracyAtCheckpoint());
        assertTrue(e.annAccuracy() > 0.8, model + " ANN accuracy " + e.annAccuracy());
        assertEquals(e.annAccuracy(), e.finalAccuracy(), points / 100, model + ": SNN vs ANN at T = 256");
    }

    @Test
    void spikeNormCalibratesThroughMaxPooling() {
        SnnEvaluation e = convert("torch_maxpool_first", "spike-norm", 128);
        System.out.printf("torch_maxpool_first SPIKE-NORM: ANN %.4f, SNN %s%n", e.annAccuracy(), e.accuracyAtCheckpoint());
        assertEquals(e.annAccuracy(), e.finalAccuracy(), 0.04, "SPIKE-NORM through max pooling");
    }
}
