package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleStreams;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.PipelinePlan;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Set;

/**
 * SPIKE-NORM (Sengupta et al. 2019, Algorithm 1): layer by layer in topological order, simulate
 * the SNN with the thresholds found so far on the calibration inputs and set {@code vth_i} to the
 * largest input current any neuron of layer i receives in a single step (or a percentile of those
 * currents). In paper mode, layers inside residual stages keep threshold 1.
 */
public final class SpikeNormCalibrator implements Calibrator {

    static final SpikeNormCalibrator INSTANCE = new SpikeNormCalibrator();

    private SpikeNormCalibrator() {
    }

    @Override
    public Calibration calibrate(SpikingTopology topology, Dataset data, CalibrationSettings settings,
                                        ProgressListener progress) {
        long start = System.nanoTime();
        List<NeuralLayer> layers = topology.layers();
        SnnParameters params = SnnParameters.uniform(topology, 1f, settings.reset());
        float[] biasScale = params.biasScale();
        if (hasBias(topology)) {
            // ANN lambdas only scale biases: SPIKE-NORM itself never looks at the ANN.
            float[] lambda = AnnNormCalibrator.lambdas(topology, data, 100, settings.threads(), ProgressListener.NONE);
            biasScale = AnnNormCalibrator.biasScales(topology, lambda);
        }
        params = new SnnParameters(params.thresholds(), settings.reset(), settings.initialFraction(), biasScale);
        Set<Integer> residual = settings.residual() == ResidualMode.PAPER ? topology.residualLayers() : Set.of();
        List<Integer> simulated = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (!residual.contains(l)) {
                simulated.add(l);
            }
        }
        List<LayerStatistics> stats = new ArrayList<>();
        int total = simulated.size() * data.size();
        int[] done = {0};
        for (int l = 0; l < layers.size(); l++) {
            if (residual.contains(l)) {
                stats.add(new LayerStatistics(layers.get(l).name(), Float.NaN, 1f, "residual stage: 1 (paper)"));
                continue;
            }
            int base = done[0];
            float vth = maxCurrent(topology, params, l, data, settings,
                    (d, t) -> progress.progress(base + d, total));
            done[0] += data.size();
            if (!(vth > 0f)) {
                throw new IllegalStateException("layer " + layers.get(l).name() + " received no positive current in "
                        + settings.steps() + " steps on " + data.size() + " samples; cannot calibrate it");
            }
            params = params.withThreshold(l, vth);
            stats.add(new LayerStatistics(layers.get(l).name(), vth, vth,
                    settings.method().percentile() == 100 ? "max current" : "p" + settings.method().percentile() + " current"));
        }
        return new Calibration(settings, params, stats, (System.nanoTime() - start) / 1e9);
    }

    private static boolean hasBias(SpikingTopology topology) {
        return topology.network().nodes().stream()
                .anyMatch(n -> n.operator() instanceof LinearOperator op && op.hasBias());
    }

    private static float maxCurrent(SpikingTopology topology, SnnParameters params, int layer, Dataset data,
                                    CalibrationSettings settings, ProgressListener progress) {
        boolean exactMax = settings.method().percentile() >= 100;
        Queue<PositiveValueHistogram> histograms = new ConcurrentLinkedQueue<>();
        SpikingNetwork probed = new SpikingNetwork(topology, params).probing(layer, () -> {
            PositiveValueHistogram hist = new PositiveValueHistogram();
            histograms.add(hist);
            return exactMax ? (current, size) -> hist.record(max(current, size)) : hist::recordAll;
        });
        SampleStreams.run(probed, PipelinePlan.single(probed.stageCount()), data.size(), settings.threads(),
                i -> data.get(i).steps(settings.steps(), settings.seed() + i), () -> null, (none, i, o) -> { },
                progress);
        PositiveValueHistogram merged = new PositiveValueHistogram();
        histograms.forEach(merged::merge);
        return merged.percentile(settings.method().percentile());
    }

    private static float max(float[] current, int size) {
        float m = 0f;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, current[i]);
        }
        return m;
    }
}
