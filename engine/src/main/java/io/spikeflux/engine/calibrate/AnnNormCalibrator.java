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

    /**
     * A channel far quieter than its layer would get its currents amplified without bound: its
     * lambda is kept at no less than this fraction of the layer's.
     */
    static final float MIN_CHANNEL_SCALE = 1f / 64;

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
        return statistics(topology, data, threads, false, progress).layer;
    }

    /**
     * Activation histograms per neural layer and, when {@code channelWise}, per channel of the
     * layers that can be normalised channel by channel.
     */
    private static ActivationStatistics statistics(SpikingTopology topology, Dataset data, int threads,
                                                   boolean channelWise, ProgressListener progress) {
        Network net = topology.network();
        List<NeuralLayer> layers = topology.layers();
        List<ActivationStatistics> perWorker = SampleWorkers.run(data.size(), threads,
                () -> new SampleWorkers.Worker<ActivationStatistics>() {
                    private final AnnForwardPass ann = new AnnForwardPass(net);
                    private final ActivationStatistics stats = new ActivationStatistics(topology, channelWise);

                    @Override
                    public void process(int i) {
                        ann.run(data.get(i).annInput());
                        for (int l = 0; l < layers.size(); l++) {
                            // ReLU outputs equal the positive part of their inputs: record the input.
                            stats.record(l, ann.value(layers.get(l).inputValue()));
                        }
                    }

                    @Override
                    public ActivationStatistics result() {
                        return stats;
                    }
                }, progress);
        ActivationStatistics merged = new ActivationStatistics(topology, channelWise);
        for (ActivationStatistics w : perWorker) {
            merged.merge(w);
        }
        return merged;
    }

    /** Histograms of one worker, or merged. */
    private static final class ActivationStatistics {
        final PositiveValueHistogram[] layer;
        /** Per layer, one compact histogram per channel, or null for layer-wise layers. */
        final PositiveValueHistogram[][] channel;
        private final int[] sizes;

        ActivationStatistics(SpikingTopology topology, boolean channelWise) {
            int n = topology.layers().size();
            layer = newHistograms(n);
            channel = new PositiveValueHistogram[n][];
            sizes = new int[n];
            for (int l = 0; l < n; l++) {
                sizes[l] = topology.layers().get(l).size();
                if (channelWise && topology.channelWiseEligible(l)) {
                    var shape = topology.network().shapeOf(topology.layers().get(l).inputValue());
                    int channels = shape.isFlat() ? shape.size() : shape.channels();
                    channel[l] = new PositiveValueHistogram[channels];
                    for (int c = 0; c < channels; c++) {
                        channel[l][c] = new PositiveValueHistogram(19);
                    }
                }
            }
        }

        void record(int l, float[] a) {
            layer[l].recordAll(a, sizes[l]);
            PositiveValueHistogram[] ch = channel[l];
            if (ch != null) {
                int channels = ch.length;
                for (int i = 0; i < sizes[l]; i++) {
                    ch[i % channels].record(a[i]);
                }
            }
        }

        void merge(ActivationStatistics o) {
            for (int l = 0; l < layer.length; l++) {
                layer[l].merge(o.layer[l]);
                if (channel[l] != null) {
                    for (int c = 0; c < channel[l].length; c++) {
                        channel[l][c].merge(o.channel[l][c]);
                    }
                }
            }
        }
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

    private static String describe(float[] channelScale) {
        float lo = Float.MAX_VALUE;
        float hi = 0f;
        for (float f : channelScale) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return String.format(java.util.Locale.ROOT, "%d channel lambdas x%.3g..x%.3g", channelScale.length, lo, hi);
    }

    @Override
    public Calibration calibrate(SpikingTopology topology, Dataset data, CalibrationSettings settings,
                                        ProgressListener progress) {
        long start = System.nanoTime();
        boolean channelWise = settings.method().channelWise();
        ActivationStatistics statistics = statistics(topology, data, settings.threads(), channelWise, progress);
        PositiveValueHistogram[] activations = statistics.layer;
        float[] lambda = lambdas(topology, activations, settings.method().percentile());
        float[][] channelScale = new float[lambda.length][];
        for (int l = 0; l < lambda.length; l++) {
            PositiveValueHistogram[] ch = statistics.channel[l];
            if (ch == null || activations[l].count() == 0) {
                continue;
            }
            channelScale[l] = new float[ch.length];
            float cap = topology.layers().get(l).cap();
            for (int c = 0; c < ch.length; c++) {
                // a channel silent on the calibration data keeps the layer's scale
                float lambdaC = ch[c].count() == 0 ? lambda[l]
                        : Math.min(cap, ch[c].percentile(settings.method().percentile()));
                channelScale[l][c] = Math.max(MIN_CHANNEL_SCALE, lambdaC / lambda[l]);
            }
        }
        List<NeuralLayer> layers = topology.layers();
        float[] vth = new float[layers.size()];
        List<LayerStatistics> stats = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            float in = lambdaIn(topology, lambda, topology.feeders(l));
            vth[l] = lambda[l] / in;
            stats.add(new LayerStatistics(layers.get(l).name(), lambda[l], vth[l], activations[l].count() == 0
                    ? "never active on the calibration data: lambda 1"
                    : channelScale[l] != null ? "lambda/lambda_in; " + describe(channelScale[l]) : "lambda/lambda_in"));
        }
        SnnParameters p = new SnnParameters(vth, settings.reset(), settings.initialFraction(),
                biasScales(topology, lambda), channelScale);
        return new Calibration(settings, p, stats, (System.nanoTime() - start) / 1e9);
    }
}
