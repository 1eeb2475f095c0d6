package io.spikeflux.engine.snn;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.exec.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the simulation bit for bit: thresholds, the accuracy curve, the spike count of every layer
 * and the synaptic operations of short runs of every bundled model. The expected strings were
 * produced by the engine before it was rebuilt as per-subscription operators (commit 41d7914), so
 * any change to the kernels, the stage order or the pipelining that alters a single spike fails here.
 */
class GoldenSimulationTest {

    private static final int THREADS = 2;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', value = {
            "fmnist_lenet|ann-max|"
                    + "vth[6.013017, 2.2234414, 0.57524705, 3.3351688] acc{8=0.4583333333333333, 16=0.8333333333333334, 32=0.8333333333333334, 40=0.8333333333333334} spikes{conv1=554580 conv2=67052 fc1=2995 fc2=363} ops=132240126",
            "fmnist_vgg|ann-max|"
                    + "vth[2.233529, 5.5449095, 1.1808352, 1.3785617, 0.6034428, 1.4508581, 0.38907152, 4.210149] acc{8=0.041666666666666664, 16=0.16666666666666666, 32=0.875, 40=0.875} spikes{conv1=1072222 conv2=675686 conv3=164250 conv4=140285 conv5=49562 conv6=14921 fc1=1785 fc2=95} ops=899244314",
            "fmnist_resnet|ann-p99.9|"
                    + "vth[1.6992188, 3.8712645, 0.53800476, 0.8764846, 1.2330624, 1.7362638, 0.7772152, 1.3620253, 1.3048327, 1.6809117, 1.1491525, 1.4070797, 0.9454927, 1.1530398, 0.34036973] acc{8=0.041666666666666664, 16=0.7916666666666666, 32=0.8333333333333334, 40=0.8333333333333334} spikes{pre1=571120 pre2=341381 s1b1_conv1=268873 Add=762521 s1b2_conv1=340880 Add_1=759531 s2b1_conv1=314037 Add_2=413077 s2b2_conv1=320315 Add_3=457449 s3b1_conv1=132384 Add_4=121160 s3b2_conv1=106954 Add_5=59274 fc=1022} ops=941970124",
            "fmnist_lenet|spike-norm|"
                    + "vth[6.2043176, 4.1072564, 0.5503356, 2.2714627] acc{8=0.20833333333333334, 16=0.6666666666666666, 32=0.8333333333333334, 40=0.8333333333333334} spikes{conv1=541266 conv2=31227 fc1=1738 fc2=301} ops=126598884",
            "nmnist_cnn|ann-p99.9|"
                    + "vth[0.3486328, 1.9215686, 1.0466472, 0.46935934, 2.189911] acc{8=0.7916666666666666, 16=0.8333333333333334, 32=0.7916666666666666, 64=0.8333333333333334, 120=0.875} spikes{conv1=3393750 conv2=1399743 conv3=314302 fc1=20890 fc2=2718} ops=903010884",
    })
    void simulationMatchesThePinnedRun(String model, String method, String expected) {
        assertEquals(expected, run(model, method));
    }

    static String run(String model, String method) {
        SpikingTopology topo = new SpikingTopology(TestModels.load(model));
        boolean events = topo.network().isEventModel();
        Dataset calib = events ? TestModels.nmnistEmu().limit(16)
                : FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 16);
        Dataset test = events ? TestModels.nmnistEmu().limit(24) : TestModels.fashionTest(24);
        CalibrationMethod m = CalibrationMethod.parse(method);
        ResetMode reset = method.contains("p99") ? ResetMode.SUBTRACT : ResetMode.ZERO;
        CalibrationSettings s = new CalibrationSettings(m, reset, calib.size(), 48, 5, ResidualMode.PAPER, 0f, THREADS);
        SnnParameters p = Calibrator.run(topo, calib, s, ProgressListener.NONE).parameters();
        int steps = events ? 120 : 40;
        SnnEvaluation e = SnnEvaluator.evaluate(topo, p, test, steps, SnnEvaluator.defaultCheckpoints(steps), 11,
                THREADS, ProgressListener.NONE);
        StringBuilder spikes = new StringBuilder();
        e.spikesPerNeuron().forEach((layer, perNeuron) -> spikes.append(layer).append('=')
                .append(Math.round(perNeuron * e.samples() * e.neurons().get(layer))).append(' '));
        return "vth" + Arrays.toString(p.thresholds()) + " acc" + e.accuracyAtCheckpoint() + " spikes{"
                + spikes.toString().trim() + "} ops=" + Math.round(e.synapticOpsPerImage() * e.samples());
    }

    /** Prints the strings to pin (run once against the reference engine). */
    public static void main(String[] args) {
        for (String[] c : new String[][]{{"fmnist_lenet", "ann-max"}, {"fmnist_vgg", "ann-max"},
                {"fmnist_resnet", "ann-p99.9"}, {"fmnist_lenet", "spike-norm"}, {"nmnist_cnn", "ann-p99.9"}}) {
            System.out.println(c[0] + "|" + c[1] + "|" + run(c[0], c[1]));
        }
    }
}
