package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.Sample;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SPIKE-NORM (Sengupta et al. 2019, Algorithm 1): layer by layer in topological order, simulate
 * the SNN with the thresholds found so far on the calibration inputs and set {@code vth_i} to the
 * largest input current any neuron of layer i receives in a single step (or a percentile of those
 * currents). In paper mode, layers inside residual stages keep threshold 1.
 */
public final class SpikeNormCalibrator {

    private SpikeNormCalibrator() {
    }

    public static Calibration calibrate(SpikingTopology topology, Dataset data, CalibrationSettings settings,
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
        List<PositiveValueHistogram> perWorker = SampleWorkers.run(data.size(), settings.threads(),
                () -> new SampleWorkers.Worker<PositiveValueHistogram>() {
                    private final SpikingNetwork snn = new SpikingNetwork(topology, params);
                    private final PositiveValueHistogram hist = new PositiveValueHistogram();
                    private final boolean exactMax = settings.method().percentile() >= 100;

                    {
                        snn.probe(layer, exactMax ? this::recordMax : hist::recordAll);
                    }

                    private void recordMax(float[] current, int size) {
                        float m = 0f;
                        for (int i = 0; i < size; i++) {
                            m = Math.max(m, current[i]);
                        }
                        hist.record(m);
                    }

                    @Override
                    public void process(int i) {
                        Sample s = data.get(i);
                        snn.resetState();
                        snn.process(s.steps(settings.steps(), settings.seed() + i)).blockLast();
                    }

                    @Override
                    public PositiveValueHistogram result() {
                        return hist;
                    }
                }, progress);
        PositiveValueHistogram merged = new PositiveValueHistogram();
        perWorker.forEach(merged::merge);
        return merged.percentile(settings.method().percentile());
    }
}
