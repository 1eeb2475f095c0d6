package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleStreams;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.PipelinePlan;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Bias or potential correction with the SNN in the loop (Li et al. 2021, "A free lunch from ANN:
 * towards efficient, accurate spiking neural networks calibration"), after the thresholds are set.
 * <p>
 * Layer by layer in topological order: the ANN's activation of each channel, in units of the
 * layer's lambda and clipped at 1 (the most an IF neuron can fire), is averaged over the
 * calibration data; the SNN, with the corrections of the layers below already in place, is run on
 * the same data and its firing rate per channel averaged the same way. The difference, times the
 * threshold, is the current that closes the gap: it is added to the layer's input every step, on
 * the Conv or dense layer that drives it (for a residual junction, its Conv branch). Potential
 * correction instead adds the gap times the correction's steps T to the channel's initial
 * membrane, in thresholds: the spikes a run of T steps is missing.
 */
final class LayerwiseCorrector {

    private LayerwiseCorrector() {
    }

    static Calibration apply(SpikingTopology topology, Dataset data, Calibration base, ProgressListener progress) {
        long start = System.nanoTime();
        CalibrationSettings s = base.settings();
        SnnParameters params = base.parameters();
        List<NeuralLayer> layers = topology.layers();
        float[] lambda = lambdas(topology, params);
        double[][] target = annTargets(topology, data, params, lambda, s.threads());
        List<LayerStatistics> stats = new ArrayList<>(base.layers());
        int corrected = 0;
        for (int l = 0; l < layers.size(); l++) {
            corrected += target[l] != null ? 1 : 0;
        }
        int done = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (target[l] == null) {
                continue;
            }
            progress.phase(s.correction().cliName() + " correction, layer " + layers.get(l).name() + " (" + (done + 1) + "/" + corrected + ")");
            int before = done * data.size();
            int total = corrected * data.size();
            double[] rate = snnRates(topology, params, l, data, s, (d, t) -> progress.progress(before + d, total));
            boolean bias = s.correction() == Correction.BIAS;
            float factor = bias ? params.threshold(l) : s.correctionSteps();
            // reset to zero drops what a membrane holds above the threshold when it fires: an
            // initial membrane beyond it would be lost, not turned into spikes
            float most = !bias && params.reset() == ResetMode.ZERO ? 0.999f - params.initialFraction() : Float.MAX_VALUE;
            float[] shift = new float[rate.length];
            double meanGap = 0;
            for (int c = 0; c < shift.length; c++) {
                shift[c] = Math.min(most, (float) ((target[l][c] - rate[c]) * factor));
                meanGap += (target[l][c] - rate[c]) / shift.length;
            }
            params = bias ? params.withCurrentShift(l, shift) : params.withInitialShift(l, shift);
            LayerStatistics old = stats.get(l);
            stats.set(l, new LayerStatistics(old.layer(), old.lambda(), old.threshold(), old.rule()
                    + String.format(Locale.ROOT, "; %s corrected (mean rate gap %+.4f)",
                    s.correction().cliName(), meanGap)));
            done++;
        }
        return new Calibration(s, params, stats, base.wallSeconds() + (System.nanoTime() - start) / 1e9);
    }

    /**
     * Per layer, the mean over channels of |ANN target - SNN rate| on the data with these
     * parameters (NaN where a layer takes no correction): what the correction is to shrink.
     */
    static double[] meanAbsoluteGaps(SpikingTopology topology, Dataset data, SnnParameters params,
                                     CalibrationSettings s) {
        double[][] target = annTargets(topology, data, params, lambdas(topology, params), s.threads());
        double[] gaps = new double[target.length];
        for (int l = 0; l < gaps.length; l++) {
            if (target[l] == null) {
                gaps[l] = Double.NaN;
                continue;
            }
            double[] rate = snnRates(topology, params, l, data, s, ProgressListener.NONE);
            for (int c = 0; c < rate.length; c++) {
                gaps[l] += Math.abs(target[l][c] - rate[c]) / rate.length;
            }
        }
        return gaps;
    }

    /**
     * The ANN activation at which each layer fires every step: its threshold times the lambda of
     * the layers feeding it (threshold balancing inverted; 1 for the input).
     */
    static float[] lambdas(SpikingTopology topology, SnnParameters params) {
        float[] lambda = new float[topology.layers().size()];
        for (int l = 0; l < lambda.length; l++) {
            lambda[l] = params.threshold(l) * AnnNormCalibrator.lambdaIn(topology, lambda, topology.feeders(l));
        }
        return lambda;
    }

    /** Per correctable layer and channel, the mean of min(ReLU(z) / lambda_c, 1) over data and positions. */
    private static double[][] annTargets(SpikingTopology topology, Dataset data, SnnParameters params, float[] lambda,
                                         int threads) {
        List<NeuralLayer> layers = topology.layers();
        int n = layers.size();
        int[] channels = new int[n];
        for (int l = 0; l < n; l++) {
            channels[l] = topology.currentShiftChannels(l);
        }
        // per sample, summed in sample order afterwards: the result does not depend on the threads
        double[][][] sums = new double[data.size()][n][];
        SampleWorkers.run(data.size(), threads, () -> new SampleWorkers.Worker<Void>() {
            private final AnnForwardPass ann = new AnnForwardPass(topology.network());

            @Override
            public void process(int i) {
                ann.run(data.get(i).annInput());
                for (int l = 0; l < n; l++) {
                    if (channels[l] <= 0) {
                        continue;
                    }
                    double[] sum = sums[i][l] = new double[channels[l]];
                    float[] z = ann.value(layers.get(l).inputValue());
                    float[] scale = params.channelScale(l);
                    int c = channels[l];
                    for (int k = 0; k < layers.get(l).size(); k++) {
                        float lam = lambda[l] * (scale == null ? 1f : scale[k % c]);
                        sum[k % c] += Math.min(Math.max(z[k], 0f) / lam, 1f);
                    }
                }
            }

            @Override
            public Void result() {
                return null;
            }
        }, ProgressListener.NONE);
        double[][] target = new double[n][];
        for (int l = 0; l < n; l++) {
            if (channels[l] <= 0) {
                continue;
            }
            target[l] = new double[channels[l]];
            double per = (double) data.size() * layers.get(l).size() / channels[l];
            for (double[][] sample : sums) {
                for (int c = 0; c < channels[l]; c++) {
                    target[l][c] += sample[l][c] / per;
                }
            }
        }
        return target;
    }

    /** Per channel of layer {@code l}, its mean firing rate (spikes per neuron and step) on the data. */
    private static double[] snnRates(SpikingTopology topology, SnnParameters params, int l, Dataset data,
                                     CalibrationSettings s, ProgressListener progress) {
        int c = topology.currentShiftChannels(l);
        Queue<long[]> parts = new ConcurrentLinkedQueue<>();
        SpikingNetwork counting = new SpikingNetwork(topology, params).counting(l, () -> {
            long[] counts = new long[c];
            parts.add(counts);
            return (spikes, n) -> {
                for (int k = 0; k < n; k++) {
                    counts[spikes[k] % c]++;
                }
            };
        });
        int steps = s.correctionSteps();
        SampleStreams.run(counting, PipelinePlan.single(counting.stageCount()), data.size(), s.threads(),
                i -> data.get(i).steps(steps, s.seed() + i), () -> null, (none, i, o) -> { }, progress);
        long[] total = new long[c];
        for (long[] p : parts) {
            for (int k = 0; k < c; k++) {
                total[k] += p[k]; // exact in any order: the rates do not depend on the threads
            }
        }
        double[] rate = new double[c];
        double per = (double) data.size() * steps * topology.layers().get(l).size() / c;
        for (int k = 0; k < c; k++) {
            rate[k] = total[k] / per;
        }
        return rate;
    }
}
