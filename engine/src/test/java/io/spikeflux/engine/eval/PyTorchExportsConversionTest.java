package io.spikeflux.engine.eval;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.encode.InputCoding;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The models users export from PyTorch (models/pytorch) converted to SNNs, sized for CI:
 * channel-wise ANN-norm at the 99.9th percentile on 256 training images, analog input, reset by
 * subtraction, the first 300 test images at T = 256 (bounds widened for the smaller sample). The
 * README's table has the 2,000-image measurement (within 0.5 point without max pooling).
 */
class PyTorchExportsConversionTest {

    private static final FrameDataset TEST = TestModels.fashionTest(300);
    private static final FrameDataset CALIBRATION = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 256);

    private static SnnEvaluation convert(String model, String method, int calibrationSteps, InputCoding coding) {
        SpikingTopology topo = new SpikingTopology(TestModels.load("pytorch/" + model));
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse(method), ResetMode.SUBTRACT,
                CALIBRATION.size(), calibrationSteps, 1, ResidualMode.PAPER, 0f, 2);
        Calibration c = Calibrator.run(topo, CALIBRATION.withCoding(coding), s, ProgressListener.NONE);
        return SnnEvaluator.evaluate(topo, c.parameters(), TEST.withCoding(coding), 256,
                SnnEvaluator.defaultCheckpoints(256), 7, 2, ProgressListener.NONE);
    }

    @ParameterizedTest(name = "{0}: SNN within {1} points of the ANN")
    @CsvSource({
            "torch_sequential_lenet, 2", "torch_bn_normalised, 2", "torch_mobilenet_block, 2",
            "torch_maxpool_first, 3", "torch_mnist_example, 3"})
    void convertsWithinBoundsOfTheAnn(String model, double points) {
        SnnEvaluation e = convert(model, "ann-p99.9-channel", 0, InputCoding.ANALOG);
        System.out.printf("%s: ANN %.4f, SNN %s%n", model, e.annAccuracy(), e.accuracyAtCheckpoint());
        assertTrue(e.annAccuracy() > 0.8, model + " ANN accuracy " + e.annAccuracy());
        assertEquals(e.annAccuracy(), e.finalAccuracy(), points / 100, model + ": SNN vs ANN at T = 256");
    }

    @Test
    void mobileNetNeedsChannelWiseLambdasAndAnalogInputToConvergeEarly() {
        SnnEvaluation layerWise = convert("torch_mobilenet_block", "ann-p99.9", 0, InputCoding.POISSON);
        SnnEvaluation channelWise = convert("torch_mobilenet_block", "ann-p99.9-channel", 0, InputCoding.ANALOG);
        System.out.printf("mobilenet: layer-wise Poisson %s, channel-wise analog %s%n", layerWise.accuracyAtCheckpoint(),
                channelWise.accuracyAtCheckpoint());
        assertTrue(channelWise.accuracyAtCheckpoint().get(64) > layerWise.accuracyAtCheckpoint().get(64) + 0.3,
                "at T = 64: " + channelWise.accuracyAtCheckpoint().get(64) + " vs " + layerWise.accuracyAtCheckpoint().get(64));
    }

    @Test
    void spikeNormCalibratesThroughMaxPooling() {
        SnnEvaluation e = convert("torch_maxpool_first", "spike-norm", 128, InputCoding.POISSON);
        System.out.printf("torch_maxpool_first SPIKE-NORM: ANN %.4f, SNN %s%n", e.annAccuracy(), e.accuracyAtCheckpoint());
        assertEquals(e.annAccuracy(), e.finalAccuracy(), 0.04, "SPIKE-NORM through max pooling");
    }
}
