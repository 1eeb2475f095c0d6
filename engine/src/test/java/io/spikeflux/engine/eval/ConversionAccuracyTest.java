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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conversion measured the way the paper measures it, sized for CI: calibration on training
 * images (fewer and shorter SPIKE-NORM runs than the paper's 256 x 2,500), evaluation on the first
 * 500 test images at T = 256 with reset to zero.
 */
class ConversionAccuracyTest {

    private static final int T = 256;
    private static final Dataset TEST = TestModels.fashionTest(500);

    private static Dataset train(int n) {
        return FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", n);
    }

    private static Calibration calibrate(SpikingTopology topo, Dataset data, String method, ResidualMode residual,
                                         int steps, long seed) {
        return calibrate(topo, data, method, residual, steps, seed, 2);
    }

    private static Calibration calibrate(SpikingTopology topo, Dataset data, String method, ResidualMode residual,
                                         int steps, long seed, int threads) {
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse(method), ResetMode.ZERO, data.size(),
                steps, seed, residual, 0f, threads);
        return Calibrator.run(topo, data, s, ProgressListener.NONE);
    }

    private static SnnEvaluation evaluate(SpikingTopology topo, Calibration c, Dataset data, int steps) {
        return SnnEvaluator.evaluate(topo, c.parameters(), data, steps, SnnEvaluator.defaultCheckpoints(steps), 7, 2,
                ProgressListener.NONE);
    }

    @Test
    void lenetAnnNormAndSpikeNormAreWithinOneAndAHalfPointsOfTheAnn() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("fmnist_lenet"));
        SnnEvaluation annNorm = evaluate(topo, calibrate(topo, train(256), "ann-max", ResidualMode.PAPER, 0, 1), TEST, T);
        SnnEvaluation spikeNorm = evaluate(topo, calibrate(topo, train(64), "spike-norm", ResidualMode.PAPER, 256, 1), TEST, T);
        System.out.printf("lenet: ANN %.3f, ANN-norm %s, SPIKE-NORM %s%n", annNorm.annAccuracy(),
                annNorm.accuracyAtCheckpoint(), spikeNorm.accuracyAtCheckpoint());
        assertEquals(annNorm.annAccuracy(), spikeNorm.annAccuracy());
        assertEquals(annNorm.annAccuracy(), annNorm.finalAccuracy(), 0.015, "ANN-norm SNN vs ANN");
        assertEquals(spikeNorm.annAccuracy(), spikeNorm.finalAccuracy(), 0.015, "SPIKE-NORM SNN vs ANN");
        // the convergence curve rises: few steps are worse than many
        assertTrue(spikeNorm.accuracyAtCheckpoint().get(8) < spikeNorm.finalAccuracy());
        assertTrue(spikeNorm.synapticOpsPerImage() > 0 && spikeNorm.spikesPerNeuron().get("conv1") > 0);
    }

    @Test
    void channelWiseSpikeNormScalesEachConvChannelAndConvergesAsWell() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("fmnist_lenet"));
        Calibration c = calibrate(topo, train(64), "spike-norm-channel", ResidualMode.PAPER, 256, 1);
        int conv1 = topo.indexOf("conv1");
        float[] scale = c.parameters().channelScale(conv1);
        assertEquals(topo.network().shapeOf(topo.layers().get(conv1).inputValue()).channels(), scale.length,
                "one scale per output channel of conv1");
        float lo = Float.MAX_VALUE;
        for (float f : scale) {
            lo = Math.min(lo, f);
        }
        assertTrue(lo < 0.99f, "some channel fires at a threshold below the layer's: " + java.util.Arrays.toString(scale));
        assertEquals(null, c.parameters().channelScale(topo.layers().size() - 1), "the output layer stays layer-wise");
        SnnEvaluation e = evaluate(topo, c, TEST, T);
        System.out.printf("lenet: SPIKE-NORM channel-wise %s%n", e.accuracyAtCheckpoint());
        // measured: 500 images, 64 x 256 calibration: 88.6 / 90.4 / 91.6 / 90.8% at T = 32 / 64 / 128 / 256 (ANN 91.0%)
        assertEquals(e.annAccuracy(), e.finalAccuracy(), 0.015, "channel-wise SPIKE-NORM SNN vs ANN");
        assertTrue(e.accuracyAtCheckpoint().get(128) >= 0.895, "at T = 128: " + e.accuracyAtCheckpoint());
    }

    @Test
    void resnetPaperResidualRuleBeatsSpikeNormOnEveryLayer() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("fmnist_resnet"));
        Dataset calib = train(64);
        SnnEvaluation paper = evaluate(topo, calibrate(topo, calib, "spike-norm", ResidualMode.PAPER, 256, 1), TEST, T);
        SnnEvaluation all = evaluate(topo, calibrate(topo, calib, "spike-norm", ResidualMode.ALL, 256, 1), TEST, T);
        System.out.printf("resnet: ANN %.3f, paper %s, all %s%n", paper.annAccuracy(), paper.accuracyAtCheckpoint(),
                all.accuracyAtCheckpoint());
        assertTrue(paper.finalAccuracy() > all.finalAccuracy(),
                "paper mode " + paper.finalAccuracy() + " vs SPIKE-NORM everywhere " + all.finalAccuracy());
        assertEquals(paper.annAccuracy(), paper.finalAccuracy(), 0.03, "paper-mode ResNet SNN vs ANN");
    }

    @Test
    void nmnistEventModelIsWithinFivePointsOfTheAnnOnTheEmulatedRecordings() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("nmnist_cnn"));
        Dataset recordings = TestModels.nmnistEmu();
        assertEquals(500, recordings.size());
        Calibration c = calibrate(topo, recordings.limit(64), "spike-norm", ResidualMode.PAPER, 300, 1);
        SnnEvaluation e = evaluate(topo, c, recordings, 300);
        System.out.printf("nmnist: ANN %.3f, SNN %s%n", e.annAccuracy(), e.accuracyAtCheckpoint());
        assertEquals(0.932, e.annAccuracy(), 0.0005, "ANN accuracy on the 500 recordings (data README)");
        assertEquals(e.annAccuracy(), e.finalAccuracy(), 0.05);
    }

    @Test
    void thresholdsAndResultsDoNotDependOnThreadsOrPipelineSplits() {
        SpikingTopology topo = new SpikingTopology(TestModels.load("fmnist_lenet"));
        Dataset calib = train(32);
        assertArrayEquals(calibrate(topo, calib, "ann-p99.9", ResidualMode.PAPER, 0, 1, 1).parameters().thresholds(),
                calibrate(topo, calib, "ann-p99.9", ResidualMode.PAPER, 0, 1, 2).parameters().thresholds());
        Calibration a = calibrate(topo, calib, "spike-norm", ResidualMode.PAPER, 64, 9, 1);
        Calibration b = calibrate(topo, calib, "spike-norm", ResidualMode.PAPER, 64, 9, 2);
        assertArrayEquals(a.parameters().thresholds(), b.parameters().thresholds(), "SPIKE-NORM on 1 and 2 threads");
        Calibration other = calibrate(topo, calib, "spike-norm", ResidualMode.PAPER, 64, 10, 2);
        assertTrue(!java.util.Arrays.equals(a.parameters().thresholds(), other.parameters().thresholds()),
                "another seed draws other spikes");
        Dataset few = TEST.limit(40);
        SnnEvaluation one = SnnEvaluator.evaluate(topo, a.parameters(), few, 32, new int[]{8, 32}, 3, 1, 1, ProgressListener.NONE);
        for (int[] threadsAndPipeline : new int[][]{{2, 1}, {1, 2}, {2, 3}}) {
            SnnEvaluation e = SnnEvaluator.evaluate(topo, a.parameters(), few, 32, new int[]{8, 32}, 3,
                    threadsAndPipeline[0], threadsAndPipeline[1], ProgressListener.NONE);
            String run = threadsAndPipeline[0] + " threads, pipeline " + threadsAndPipeline[1];
            assertEquals(one.accuracyAtCheckpoint(), e.accuracyAtCheckpoint(), run);
            assertEquals(one.spikesPerNeuron(), e.spikesPerNeuron(), run);
            assertEquals(one.synapticOpsPerImage(), e.synapticOpsPerImage(), run);
        }
    }
}
