package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.SpikeMapMaxima;
import io.spikeflux.engine.snn.CutRecording;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

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
 * <p>
 * Look-ahead: a layer's pass computes the currents the next layer's pass computes again, and
 * only its threshold, the largest current, separates them. So each sample of a layer's pass runs
 * with the largest current seen so far as the layer's threshold, past the layer up to the next
 * layer's probe, the layer's currents still measured on the way. The samples go in order of
 * their ANN's largest currents into the layer, so the largest SNN current is likely met early;
 * every sample that ran at the final threshold has measured the next layer exactly, and the
 * next layer's pass runs only for the others. The thresholds are the same floats either way.
 */
public final class SpikeNormCalibrator implements Calibrator {

    static final SpikeNormCalibrator INSTANCE = new SpikeNormCalibrator(true, -1);

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
    /** Table passes of the last calibration that reached the table's largest current and ended early. */
    volatile int tablePassesEndedAtCeiling;
    /** Look-aheads of the last calibration, and the samples whose look-ahead measured the next layer. */
    volatile int lookAheadPasses;
    volatile int lookAheadSamples;
    /** Tests only: look-aheads visit the samples with the smallest ANN currents first, so that guesses miss. */
    private final boolean smallestFirst;

    /**
     * @param shortcuts   true: passes resume at recorded cuts and a first layer may use its pattern
     *                    table; false: every pass simulates every layer from the input (the
     *                    reference both must equal)
     * @param budgetBytes  what the recordings of one pass may take, or -1 for half of the free heap
     */
    SpikeNormCalibrator(boolean shortcuts, long budgetBytes) {
        this(shortcuts, budgetBytes, false);
    }

    SpikeNormCalibrator(boolean shortcuts, long budgetBytes, boolean smallestFirst) {
        this.shortcuts = shortcuts;
        this.budgetBytes = budgetBytes;
        this.smallestFirst = smallestFirst;
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
        boolean exactMax = settings.method().percentile() >= 100;
        float[][] annMaxima = null;
        List<LayerStatistics> stats = new ArrayList<>();
        int n = data.size();
        int total = simulated.size() * n;
        int[] done = {0};
        int[] everySample = IntStream.range(0, n).toArray();
        CalibrationPass.Resume resume = CalibrationPass.Resume.INPUT;
        int resumed = 0;
        int tables = 0;
        int ceilings = 0;
        int lookAheads = 0;
        int carried = 0;
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
            int record = recordableCut(network, l, resume.stage());
            int next = l + 1;
            boolean lookAhead = shortcuts && exactMax && !channelWise && n >= 2 && next < layers.size()
                    && !residual.contains(next) && !(settings.method().channelWise() && topology.channelWiseEligible(next))
                    && (resume.stage() > 0 || network.inputConvolutionMaxima(l) == null);
            int recordNext = lookAhead ? recordableCut(network, next, Math.max(resume.stage(), record)) : -1;
            if (lookAhead && recordNext >= 0) {
                if (annMaxima == null) {
                    annMaxima = LookAhead.annMaxima(topology, data, settings.threads());
                }
                LookAhead.Result pair = LookAhead.run(topology, params, l, data, settings, resume, record, recordNext,
                        LookAhead.order(annMaxima, l, n, smallestFirst), budget(),
                        (d, t) -> progress.progress(base + d, total), progress, layers.get(next).name(),
                        simulated.indexOf(next) + 1, simulated.size(), (d, t) -> progress.progress(base + n + d, total));
                done[0] += 2 * n;
                resumed += pair.resumedPasses();
                carried += pair.carried();
                lookAheads++;
                params = params.withThreshold(l, pair.threshold()).withThreshold(next, pair.nextThreshold());
                stats.add(new LayerStatistics(layers.get(l).name(), pair.threshold(), pair.threshold(), "max current"));
                stats.add(new LayerStatistics(layers.get(next).name(), pair.nextThreshold(), pair.nextThreshold(),
                        "max current"));
                resume = pair.resume() != null ? pair.resume()
                        : resume.stage() > network.firstStageOf(next) ? CalibrationPass.Resume.INPUT : resume;
                l = next;
                continue;
            }
            resumed += resume.stage() > 0 ? 1 : 0;
            CalibrationPass.Result pass = CalibrationPass.run(topology, network, l, -1, data, everySample, settings, channelWise, resume,
                    record < 0 ? new int[0] : new int[]{record}, shortcuts, budget(),
                    (d, t) -> progress.progress(base + d, total));
            CalibrationPass.Currents currents = pass.currents();
            tables += pass.fromTable() ? 1 : 0;
            ceilings += pass.endedAtCeiling() ? 1 : 0;
            CutRecording[] recorded = pass.recorded().length == 0 ? null : CalibrationPass.complete(pass.recorded()[0], everySample);
            if (recorded != null) {
                resume = new CalibrationPass.Resume(record, recorded);
            } else if (resume.stage() > network.firstStageOf(l)) {
                resume = CalibrationPass.Resume.INPUT; // the older recording saw this layer's old threshold
            }
            done[0] += n;
            double percentile = settings.method().percentile();
            float vth = currents.layer().percentile(percentile);
            CalibrationPass.requirePositive(vth, layers.get(l), settings, n);
            params = params.withThreshold(l, vth);
            String rule = percentile == 100 ? "max current" : "p" + percentile + " current";
            if (channelWise) {
                float[] scale = new float[currents.channel().length];
                for (int c = 0; c < scale.length; c++) {
                    // a channel that never received current keeps the layer's threshold
                    float own = currents.channel()[c].count() == 0 ? vth : currents.channel()[c].percentile(percentile);
                    scale[c] = Math.max(AnnNormCalibrator.MIN_CHANNEL_SCALE, own / vth);
                }
                params = params.withChannelScale(l, scale);
                rule += "; " + scale.length + " channel thresholds";
            }
            stats.add(new LayerStatistics(layers.get(l).name(), vth, vth, rule));
        }
        resumedPasses = resumed;
        tablePasses = tables;
        tablePassesEndedAtCeiling = ceilings;
        lookAheadPasses = lookAheads;
        lookAheadSamples = carried;
        return new Calibration(settings, params, stats, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The cut just after layer {@code layer - 1}, when a pass for {@code layer} that starts at
     * {@code from} may record it for the next pass: after the start, before anything that depends
     * on this layer's threshold, and before the layer's own cut; else -1.
     */
    private int recordableCut(SpikingNetwork network, int layer, int from) {
        if (!shortcuts || layer == 0) {
            return -1;
        }
        int cut = network.cutAfterLayer(layer - 1);
        return cut <= from || cut > network.firstStageOf(layer) || cut >= network.cutAfterLayer(layer) ? -1 : cut;
    }

    private static boolean hasBias(SpikingTopology topology) {
        return topology.network().nodes().stream()
                .anyMatch(n -> n.operator() instanceof LinearOperator op && op.hasBias());
    }

    private CutRecording.Budget budget() {
        // the recordings of the previous pass are still held: half of what is left
        return budgetBytes < 0 ? CutRecording.Budget.ofFreeHeap(0.5) : new CutRecording.Budget(budgetBytes);
    }


}
