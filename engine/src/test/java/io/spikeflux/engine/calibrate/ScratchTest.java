package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void explore() {
        String model = System.getProperty("model", "fmnist_lenet");
        SpikingTopology topo = new SpikingTopology(TestModels.load(model));
        Dataset data = model.startsWith("nmnist") ? TestModels.nmnistEmu() : TestModels.fashionTest(500);
        int T = Integer.getInteger("T", 256);
        Dataset calib = data.limit(Integer.getInteger("calib", 64));
        for (String m : System.getProperty("methods", "ann-max,spike-norm").split(",")) {
            for (String res : System.getProperty("residual", "paper").split(",")) {
                long t0 = System.nanoTime();
                CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse(m), ResetMode.parse(System.getProperty("reset", "zero")),
                        calib.size(), Integer.getInteger("calsteps", 256), 1, ResidualMode.parse(res), 0f, 2);
                Calibration c = s.method().kind() == CalibrationMethod.Kind.ANN_NORM
                        ? AnnNormCalibrator.calibrate(topo, calib, s, ProgressListener.NONE)
                        : SpikeNormCalibrator.calibrate(topo, calib, s, ProgressListener.NONE);
                System.out.println(m + " " + res + " calib " + c.wallSeconds() + "s " + c.layers());
                SnnEvaluation e = SnnEvaluator.evaluate(topo, c.parameters(), data, T, SnnEvaluator.defaultCheckpoints(T), 7, 2, ProgressListener.NONE);
                System.out.println(m + " " + res + " ann=" + e.annAccuracy() + " acc=" + e.accuracyAtCheckpoint() + " spikes=" + e.spikesPerNeuron()
                        + " synops=" + e.synapticOpsPerImage() + " macs=" + e.annMacsPerImage() + " wall=" + e.wallSeconds() + " img-steps/s=" + e.imageStepsPerSecond());
            }
        }
    }
}
