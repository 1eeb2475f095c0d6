package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.SpikeMapMaxima;
import io.spikeflux.engine.kernel.Kernels;
import io.spikeflux.engine.snn.CutRecording;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SegmentStepper;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
 * <p>
 * Each layer's pass simulates only the layers it must: it resumes from what crossed the cut after
 * the layer before the previous one, recorded by the previous pass ({@link CutRecording}), and
 * records the cut after the previous layer, whose threshold is now known, for the next pass. The
 * thresholds are those of simulating every prefix from the input (the floats are the same);
 * when the recordings would not fit in the heap, a pass starts further back. A first layer fed by
 * a convolution of single-channel spike maps (Poisson frames) takes each step's largest current
 * from the convolution's pattern table ({@link SpikeMapMaxima}) instead of simulating it.
 */
public final class SpikeNormCalibrator implements Calibrator {

    static final SpikeNormCalibrator INSTANCE = new SpikeNormCalibrator(true, -1);
    private static final Kernels KERNELS = Kernels.get();

    /** Resume at recorded cuts and use the first layer's pattern table, or simulate everything. */
    private final boolean shortcuts;
    /** Bytes the recordings of one pass may take, or -1 for half of the free heap. */
    private final long budgetBytes;
    /**
     * Passes of the last calibration that started at a recorded cut: tests check on an instance
     * of their own that the resuming is real.
     */
    volatile int resumedPasses;
    /** Passes of the last calibration that took a first layer's largest currents from its pattern table. */
    volatile int tablePasses;

    /**
     * @param shortcuts   true: passes resume at recorded cuts and a first layer may use its pattern
     *                    table; false: every pass simulates every layer from the input (the
     *                    reference both must equal)
     * @param budgetBytes  what the recordings of one pass may take, or -1 for half of the free heap
     */
    SpikeNormCalibrator(boolean shortcuts, long budgetBytes) {
        this.shortcuts = shortcuts;
        this.budgetBytes = budgetBytes;
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
        Resume resume = Resume.INPUT;
        int resumed = 0;
        int tables = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (residual.contains(l)) {
                stats.add(new LayerStatistics(layers.get(l).name(), Float.NaN, 1f, "residual stage: 1 (paper)"));
                continue;
            }
            int base = done[0];
            progress.phase("layer " + layers.get(l).name() + " (" + (simulated.indexOf(l) + 1) + "/" + simulated.size()
                    + ")");
            boolean channelWise = settings.method().channelWise() && topology.channelWiseEligible(l);
            SpikingNetwork network = new SpikingNetwork(topology, params);
            // the cut after layer l-1 may be recorded if calibrating layer l changes nothing before it
            int record = l == 0 ? -1 : network.cutAfterLayer(l - 1);
            if (!shortcuts || record <= resume.stage || record > network.firstStageOf(l)
                    || record >= network.cutAfterLayer(l)) {
                record = -1;
            }
            resumed += resume.stage > 0 ? 1 : 0;
            Pass pass = currents(topology, network, l, data, settings, channelWise, resume, record, shortcuts, budget(),
                    (d, t) -> progress.progress(base + d, total));
            Currents currents = pass.currents;
            tables += pass.fromTable ? 1 : 0;
            if (pass.recorded != null) {
                resume = new Resume(record, pass.recorded);
            } else if (resume.stage > network.firstStageOf(l)) {
                resume = Resume.INPUT; // the older recording saw this layer's old threshold
            }
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
        resumedPasses = resumed;
        tablePasses = tables;
        return new Calibration(settings, params, stats, (System.nanoTime() - start) / 1e9);
    }

    private static boolean hasBias(SpikingTopology topology) {
        return topology.network().nodes().stream()
                .anyMatch(n -> n.operator() instanceof LinearOperator op && op.hasBias());
    }

    /** The input currents of one layer over the calibration data: all of them, and per channel. */
    private record Currents(PositiveValueHistogram layer, PositiveValueHistogram[] channel) {
    }

    /** Where a pass starts: the input, or a cut (stage index) recorded for every sample. */
    private record Resume(int stage, CutRecording[] recordings) {
        static final Resume INPUT = new Resume(0, null);
    }

    /** A pass's currents and, when one was asked for and fitted, the recording of its cut. */
    private record Pass(Currents currents, CutRecording[] recorded, boolean fromTable) {
    }

    private CutRecording.Budget budget() {
        // the recordings of the previous pass are still held: half of what is left
        return budgetBytes < 0 ? CutRecording.Budget.ofFreeHeap(0.5) : new CutRecording.Budget(budgetBytes);
    }

    private static Pass currents(SpikingTopology topology, SpikingNetwork network, int layer, Dataset data,
                                 CalibrationSettings settings, boolean channelWise, Resume resume, int record,
                                 boolean shortcuts, CutRecording.Budget budget, ProgressListener progress) {
        boolean exactMax = settings.method().percentile() >= 100;
        int channels = 0;
        if (channelWise) {
            var shape = topology.network().shapeOf(topology.layers().get(layer).inputValue());
            channels = shape.isFlat() ? shape.size() : shape.channels();
        }
        int perChannel = channels;
        SpikeMapMaxima maxima = shortcuts && exactMax && channels == 0 && resume.stage == 0 && record < 0
                ? network.inputConvolutionMaxima(layer) : null;
        if (maxima != null) {
            return new Pass(largestInputConvolutionCurrents(maxima, data, settings, progress), null, true);
        }
        Queue<Currents> parts = new ConcurrentLinkedQueue<>();
        SpikingNetwork probed = network.probing(layer, () -> {
            Currents part = new Currents(new PositiveValueHistogram(), perChannel == 0 ? null : histograms(perChannel));
            parts.add(part);
            if (perChannel == 0) {
                return exactMax ? (current, size) -> part.layer.record(KERNELS.maxOrZero(current, size)) : part.layer::recordAll;
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
        CutRecording[] recorded = record < 0 ? null : new CutRecording[data.size()];
        SampleWorkers.run(data.size(), settings.threads(), () -> new SampleWorkers.Worker<Void>() {
            private final SegmentStepper stepper = probed.segment(resume.stage, record);

            @Override
            public void process(int i) {
                CutRecording r = resume.recordings == null
                        ? stepper.run(data.get(i).steps(settings.steps(), settings.seed() + i), budget)
                        : stepper.run(resume.recordings[i], budget);
                if (recorded != null) {
                    recorded[i] = r;
                }
            }

            @Override
            public Void result() {
                return null;
            }
        }, progress);
        Currents merged = new Currents(new PositiveValueHistogram(), channels == 0 ? null : histograms(channels));
        for (Currents p : parts) {
            merged.layer.merge(p.layer);
            for (int c = 0; c < channels; c++) {
                merged.channel[c].merge(p.channel[c]);
            }
        }
        boolean complete = recorded != null && !budget.exhausted()
                && Arrays.stream(recorded).allMatch(Objects::nonNull);
        return new Pass(merged, complete ? recorded : null, false);
    }

    /**
     * A pass for a layer fed straight by a convolution of the input: each step's largest current
     * from the convolution's pattern table, the same floats as simulating it (the layer before
     * has no state: its currents depend on the step's input only).
     */
    private static Currents largestInputConvolutionCurrents(SpikeMapMaxima maxima, Dataset data,
                                                            CalibrationSettings settings, ProgressListener progress) {
        List<PositiveValueHistogram> parts = SampleWorkers.run(data.size(), settings.threads(),
                () -> new SampleWorkers.Worker<PositiveValueHistogram>() {
                    private final SpikeMapMaxima.Probe probe = maxima.newProbe();
                    private final PositiveValueHistogram largest = new PositiveValueHistogram();

                    @Override
                    public void process(int i) {
                        data.get(i).steps(settings.steps(), settings.seed() + i).doOnNext(s ->
                                largest.record(probe.largestOrZero(s))).blockLast();
                    }

                    @Override
                    public PositiveValueHistogram result() {
                        return largest;
                    }
                }, progress);
        PositiveValueHistogram merged = new PositiveValueHistogram();
        parts.forEach(merged::merge);
        return new Currents(merged, null);
    }

    private static PositiveValueHistogram[] histograms(int n) {
        PositiveValueHistogram[] h = new PositiveValueHistogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = new PositiveValueHistogram(19);
        }
        return h;
    }

}
