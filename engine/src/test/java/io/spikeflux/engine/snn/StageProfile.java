package io.spikeflux.engine.snn;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.calibrate.*;
import io.spikeflux.engine.data.*;
import io.spikeflux.engine.encode.*;
import io.spikeflux.engine.exec.ProgressListener;
import java.util.*;

public class StageProfile {
    public static void main(String[] a) {
        SpikingTopology topo = new SpikingTopology(TestModels.load(a[0]));
        var train = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 64);
        SnnParameters p = AnnNormCalibrator.calibrate(topo, train, new CalibrationSettings(CalibrationMethod.parse("ann-max"),
                ResetMode.ZERO, 64, 0, 1, ResidualMode.PAPER, 0f, 1), ProgressListener.NONE).parameters();
        SpikingNetwork snn = new SpikingNetwork(topo, p);
        var test = TestModels.fashionTest(200);
        List<SpikeStep> in = new ArrayList<>();
        for (int i = 0; i < 200; i++) in.addAll(test.get(i).steps(64, i).collectList().block());
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            long[] ns = snn.profile(in);
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("rep %d: %.0f image-steps/s%n", rep, in.size() / sec);
            if (rep == 2) { long tot = Arrays.stream(ns).sum();
            for (int k = 0; k < ns.length; k++) System.out.printf("%2d %-30s %5.1f%%  %.1f us%n", k, snn.stages()[k].getClass().getSimpleName() + (snn.stages()[k] instanceof LinearStage l ? " " + l.op.describe() : ""), 100.0 * ns[k] / tot, ns[k] / 1e3 / in.size()); }
        }
    }
}
