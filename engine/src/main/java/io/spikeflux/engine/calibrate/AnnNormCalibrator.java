package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data-based normalisation (Diehl 2015; percentile: Rueckauer 2017) as threshold balancing with
 * unchanged weights: lambda_i is the maximum (or a percentile) of the ReLU activations of neural
 * layer i over the calibration data, and {@code vth_i = lambda_i / lambda_in(i)}, where lambda_in
 * is the largest lambda among the layers feeding i (1 for the input).
 */
public final class AnnNormCalibrator implements Calibrator {

    static final AnnNormCalibrator INSTANCE = new AnnNormCalibrator();

    private AnnNormCalibrator() {
    }

    /** The ANN activation lambda of every neural layer (output layer: its positive logits). */
    public static float[] lambdas(SpikingTopology topology, Dataset data, double percentile, int threads,
                                  ProgressListener progress) {
        return lambdas(topology, activations(topology, data, threads, progress), percentile);
    }

    private static float[] lambdas(SpikingTopology topology, PositiveValueHistogram[] activations, double percentile) {
        float[] lambda = new float[activations.length];
        for (int l = 0; l < lambda.length; l++) {
            // A layer silent on all calibration data gives no scale: keep weights as they are
            // (lambda 1); calibrate() labels it so the user sees it.
            lambda[l] = activations[l].count() == 0 ? 1f : activations[l].percentile(percentile);
            // the histogram holds the ReLU's inputs: a clipped ReLU (ReLU6) never exceeds its cap
            lambda[l] = Math.min(lambda[l], topology.layers().get(l).cap());
        }
        return lambda;
    }

    private static PositiveValueHistogram[] activations(SpikingTopology topology, Dataset data, int threads,
                                                        ProgressListener progress) {
        Network net = topology.network();
        List<NeuralLayer> layers = topology.layers();
        List<PositiveValueHistogram[]> perWorker = SampleWorkers.run(data.size(), threads,
                () -> new SampleWorkers.Worker<PositiveValueHistogram[]>() {
                    private final AnnForwardPass ann = new AnnForwardPass(net);
                    private final PositiveValueHistogram[] hist = newHistograms(layers.size());

                    @Override
                    public void process(int i) {
                        ann.run(data.get(i).annInput());
                        for (int l = 0; l < layers.size(); l++) {
                            NeuralLayer layer = layers.get(l);
                            // ReLU outputs equal the positive part of their inputs: record the input.
                            float[] a = ann.value(layer.inputValue());
                            hist[l].recordAll(a, layer.size());
                        }
                    }

                    @Override
                    public PositiveValueHistogram[] result() {
                        return hist;
                    }
                }, progress);
        PositiveValueHistogram[] merged = newHistograms(layers.size());
        for (PositiveValueHistogram[] w : perWorker) {
            for (int l = 0; l < merged.length; l++) {
                merged[l].merge(w[l]);
            }
        }
        return merged;
    }

    private static PositiveValueHistogram[] newHistograms(int n) {
        PositiveValueHistogram[] h = new PositiveValueHistogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = new PositiveValueHistogram();
        }
        return h;
    }

    /** lambda_in of a value: the largest lambda of the neural layers feeding it (1 for the input). */
    static float lambdaIn(SpikingTopology topology, float[] lambda, java.util.Set<Integer> feeders) {
        float max = 0f;
        for (int f : feeders) {
            max = Math.max(max, f == SpikingTopology.INPUT ? 1f : lambda[f]);
        }
        return max > 0f ? max : 1f;
    }

    /**
     * Bias currents per step must be on the scale of the spike rates they add to: a bias b
     * behind layers with lambda_in becomes b / lambda_in.
     */
    public static float[] biasScales(SpikingTopology topology, float[] lambda) {
        Network net = topology.network();
        float[] scale = new float[net.nodes().size()];
        Arrays.fill(scale, 1f);
        for (int i = 0; i < scale.length; i++) {
            Node n = net.nodes().get(i);
            if (n.operator() instanceof LinearOperator op && op.hasBias()) {
                scale[i] = 1f / lambdaIn(topology, lambda, topology.feedersOfValue(n.inputs()[0]));
            }
        }
        return scale;
    }

    @Override
    public Calibration calibrate(SpikingTopology topology, Dataset data, CalibrationSettings settings,
                                        ProgressListener progress) {
        long start = System.nanoTime();
        PositiveValueHistogram[] activations = activations(topology, data, settings.threads(), progress);
        float[] lambda = lambdas(topology, activations, settings.method().percentile());
        List<NeuralLayer> layers = topology.layers();
        float[] vth = new float[layers.size()];
        List<LayerStatistics> stats = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            float in = lambdaIn(topology, lambda, topology.feeders(l));
            vth[l] = lambda[l] / in;
            stats.add(new LayerStatistics(layers.get(l).name(), lambda[l], vth[l], activations[l].count() == 0
                    ? "never active on the calibration data: lambda 1" : "lambda/lambda_in"));
        }
        SnnParameters p = new SnnParameters(vth, settings.reset(), settings.initialFraction(),
                biasScales(topology, lambda));
        return new Calibration(settings, p, stats, (System.nanoTime() - start) / 1e9);
    }
}
