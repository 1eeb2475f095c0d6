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
 * <p>
 * Channel-wise ({@code spike-norm-channel}): the same pass also keeps each output channel's
 * largest current (or percentile); the layer's threshold stays the layer's, and channel c is scaled
 * so that it fires at its own, as ANN-norm's channel lambdas do, before the next layer is simulated.
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
            boolean channelWise = settings.method().channelWise() && topology.channelWiseEligible(l);
            Currents currents = currents(topology, params, l, data, settings, channelWise,
                    (d, t) -> progress.progress(base + d, total));
            done[0] += data.size();
            double percentile = settings.method().percentile();
            float vth = currents.layer.percentile(percentile);
            if (!(vth > 0f)) {
                throw new IllegalStateException("layer " + layers.get(l).name() + " received no positive current in "
                        + settings.steps() + " steps on " + data.size() + " samples; cannot calibrate it");
            }
            params = params.withThreshold(l, vth);
            String rule = percentile == 100 ? "max current" : "p" + percentile + " current";
            if (channelWise) {
                float[] scale = new float[currents.channel.length];
                for (int c = 0; c < scale.length; c++) {
                    // a channel that never received current keeps the layer's threshold
                    float own = currents.channel[c].count() == 0 ? vth : currents.channel[c].percentile(percentile);
                    scale[c] = Math.max(AnnNormCalibrator.MIN_CHANNEL_SCALE, own / vth);
                }
                params = params.withChannelScale(l, scale);
                rule += "; " + scale.length + " channel thresholds";
            }
            stats.add(new LayerStatistics(layers.get(l).name(), vth, vth, rule));
        }
        return new Calibration(settings, params, stats, (System.nanoTime() - start) / 1e9);
    }

    private static boolean hasBias(SpikingTopology topology) {
        return topology.network().nodes().stream()
                .anyMatch(n -> n.operator() instanceof LinearOperator op && op.hasBias());
    }

    /** The input currents of one layer over the calibration data: all of them, and per channel. */
    private record Currents(PositiveValueHistogram layer, PositiveValueHistogram[] channel) {
    }

    private static Currents currents(SpikingTopology topology, SnnParameters params, int layer, Dataset data,
                                     CalibrationSettings settings, boolean channelWise, ProgressListener progress) {
        boolean exactMax = settings.method().percentile() >= 100;
        int channels = 0;
        if (channelWise) {
            var shape = topology.network().shapeOf(topology.layers().get(layer).inputValue());
            channels = shape.isFlat() ? shape.size() : shape.channels();
        }
        int perChannel = channels;
        Queue<Currents> parts = new ConcurrentLinkedQueue<>();
        SpikingNetwork probed = new SpikingNetwork(topology, params).probing(layer, () -> {
            Currents part = new Currents(new PositiveValueHistogram(), perChannel == 0 ? null : histograms(perChannel));
            parts.add(part);
            if (perChannel == 0) {
                return exactMax ? (current, size) -> part.layer.record(max(current, size)) : part.layer::recordAll;
            }
            float[] stepMax = new float[perChannel];
            return (current, size) -> {
                // channel-last: element i belongs to channel i % C
                if (exactMax) {
                    java.util.Arrays.fill(stepMax, 0f);
                    for (int i = 0; i < size; i++) {
                        int c = i % perChannel;
                        stepMax[c] = Math.max(stepMax[c], current[i]);
                    }
                    float m = 0f;
                    for (int c = 0; c < perChannel; c++) {
                        part.channel[c].record(stepMax[c]);
                        m = Math.max(m, stepMax[c]);
                    }
                    part.layer.record(m);
                } else {
                    part.layer.recordAll(current, size);
                    for (int i = 0; i < size; i++) {
                        part.channel[i % perChannel].record(current[i]);
                    }
                }
            };
        });
        SampleStreams.run(probed, PipelinePlan.single(probed.stageCount()), data.size(), settings.threads(),
                i -> data.get(i).steps(settings.steps(), settings.seed() + i), () -> null, (none, i, o) -> { },
                progress);
        Currents merged = new Currents(new PositiveValueHistogram(), channels == 0 ? null : histograms(channels));
        for (Currents p : parts) {
            merged.layer.merge(p.layer);
            for (int c = 0; c < channels; c++) {
                merged.channel[c].merge(p.channel[c]);
            }
        }
        return merged;
    }

    private static PositiveValueHistogram[] histograms(int n) {
        PositiveValueHistogram[] h = new PositiveValueHistogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = new PositiveValueHistogram(19);
        }
        return h;
    }

    private static float max(float[] current, int size) {
        float m = 0f;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, current[i]);
        }
        return m;
    }
}
