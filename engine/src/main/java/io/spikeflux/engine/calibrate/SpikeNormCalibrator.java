package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.SpikeMapMaxima;
import io.spikeflux.engine.kernel.Kernels;
import io.spikeflux.engine.snn.CurrentProbe;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        Resume resume = Resume.INPUT;
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
            int record = recordableCut(network, l, resume.stage);
            int next = l + 1;
            boolean lookAhead = shortcuts && exactMax && !channelWise && n >= 2 && next < layers.size()
                    && !residual.contains(next) && !(settings.method().channelWise() && topology.channelWiseEligible(next))
                    && (resume.stage > 0 || network.inputConvolutionMaxima(l) == null);
            int recordNext = lookAhead ? recordableCut(network, next, Math.max(resume.stage, record)) : -1;
            if (lookAhead && recordNext >= 0) {
                if (annMaxima == null) {
                    annMaxima = annMaxima(topology, data, settings.threads());
                }
                LookAhead pair = lookAhead(topology, params, l, data, settings, resume, record, recordNext,
                        lookAheadOrder(annMaxima, l, n, smallestFirst), budget(),
                        (d, t) -> progress.progress(base + d, total), progress, layers.get(next).name(),
                        simulated.indexOf(next) + 1, simulated.size(), (d, t) -> progress.progress(base + n + d, total));
                done[0] += 2 * n;
                resumed += pair.resumedPasses;
                carried += pair.carried;
                lookAheads++;
                params = params.withThreshold(l, pair.threshold).withThreshold(next, pair.nextThreshold);
                stats.add(new LayerStatistics(layers.get(l).name(), pair.threshold, pair.threshold, "max current"));
                stats.add(new LayerStatistics(layers.get(next).name(), pair.nextThreshold, pair.nextThreshold,
                        "max current"));
                resume = pair.resume != null ? pair.resume
                        : resume.stage > network.firstStageOf(next) ? Resume.INPUT : resume;
                l = next;
                continue;
            }
            resumed += resume.stage > 0 ? 1 : 0;
            Pass pass = currents(topology, network, l, -1, data, everySample, settings, channelWise, resume,
                    record < 0 ? new int[0] : new int[]{record}, shortcuts, budget(),
                    (d, t) -> progress.progress(base + d, total));
            Currents currents = pass.currents;
            tables += pass.fromTable ? 1 : 0;
            ceilings += pass.endedAtCeiling ? 1 : 0;
            CutRecording[] recorded = pass.recorded.length == 0 ? null : complete(pass.recorded[0], everySample);
            if (recorded != null) {
                resume = new Resume(record, recorded);
            } else if (resume.stage > network.firstStageOf(l)) {
                resume = Resume.INPUT; // the older recording saw this layer's old threshold
            }
            done[0] += n;
            double percentile = settings.method().percentile();
            float vth = currents.layer.percentile(percentile);
            requirePositive(vth, layers.get(l), settings, n);
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

    private static void requirePositive(float vth, NeuralLayer layer, CalibrationSettings settings, int samples) {
        if (!(vth > 0f)) {
            throw new IllegalStateException("layer " + layer.name() + " received no positive current in "
                    + settings.steps() + " steps on " + samples + " samples; cannot calibrate it");
        }
    }

    /** The recordings of the given samples, or null when one is missing (the budget ran out). */
    private static CutRecording[] complete(CutRecording[] recordings, int[] samples) {
        for (int i : samples) {
            if (recordings[i] == null) {
                return null;
            }
        }
        return recordings;
    }

    /** Per sample and neural layer, the largest input current of the ANN: the order of a look-ahead. */
    private static float[][] annMaxima(SpikingTopology topology, Dataset data, int threads) {
        float[][] maxima = new float[data.size()][];
        SampleWorkers.run(data.size(), threads, () -> new SampleWorkers.Worker<Void>() {
            private final AnnForwardPass ann = new AnnForwardPass(topology.network());

            @Override
            public void process(int i) {
                ann.run(data.get(i).annInput());
                float[] m = new float[topology.layers().size()];
                for (int l = 0; l < m.length; l++) {
                    float[] v = ann.value(topology.layers().get(l).inputValue());
                    m[l] = KERNELS.maxOrZero(v, v.length);
                }
                maxima[i] = m;
            }

            @Override
            public Void result() {
                return null;
            }
        }, ProgressListener.NONE);
        return maxima;
    }

    /**
     * The order in which a look-ahead at {@code layer} visits the samples: by the ANN's largest
     * current into the layer, descending, so that the SNN's largest current is likely met early
     * (ascending for tests that want guesses to miss); ties in sample order.
     */
    private static int[] lookAheadOrder(float[][] annMaxima, int layer, int n, boolean smallestFirst) {
        return IntStream.range(0, n).boxed().sorted((a, b) -> {
            int c = Float.compare(annMaxima[b][layer], annMaxima[a][layer]);
            c = smallestFirst ? -c : c;
            return c != 0 ? c : Integer.compare(a, b);
        }).mapToInt(Integer::intValue).toArray();
    }

    /** What a look-ahead over a layer and the next one found. */
    private record LookAhead(float threshold, float nextThreshold, int carried, Resume resume, int resumedPasses) {
    }

    /**
     * Calibrates {@code layer} and the next one. Each sample, in {@code order}, runs with the
     * largest current into {@code layer} seen so far as that layer's threshold, past it up to the
     * next layer's probe (the first ones, before any current is seen, stop at the layer). A sample
     * whose threshold turns out to be the final one has measured the next layer exactly; the
     * next layer's pass then runs for the others only, from the cut recorded before the layer.
     */
    private LookAhead lookAhead(SpikingTopology topology, SnnParameters params, int layer, Dataset data,
                                CalibrationSettings settings, Resume resume, int record, int recordNext, int[] order,
                                CutRecording.Budget budget, ProgressListener layerProgress, ProgressListener progress,
                                String nextName, int nextOrdinal, int layerCount, ProgressListener nextProgress) {
        int next = layer + 1;
        int n = data.size();
        // float bits of the largest current into the layer so far: non-negative floats order as their bits
        AtomicInteger largestBits = new AtomicInteger(Float.floatToIntBits(0f));
        float[] guessOf = new float[n];
        float[] nextLargest = new float[n];
        CutRecording[] atRecord = new CutRecording[n];
        CutRecording[] atNext = new CutRecording[n];
        int[] plainCuts = record < 0 ? new int[0] : new int[]{record};
        int[] aheadCuts = record < 0 ? new int[]{recordNext} : new int[]{record, recordNext};
        List<PositiveValueHistogram> parts = SampleWorkers.run(n, settings.threads(),
                () -> new SampleWorkers.Worker<PositiveValueHistogram>() {
                    private final PositiveValueHistogram currents = new PositiveValueHistogram();
                    private final float[] sampleNext = new float[1];
                    private final CurrentProbe measure = (current, size) -> {
                        float m = KERNELS.maxOrZero(current, size);
                        currents.record(m);
                        int bits = Float.floatToIntBits(m);
                        if (bits > largestBits.get()) {
                            largestBits.accumulateAndGet(bits, Math::max);
                        }
                    };
                    private final CurrentProbe nextMeasure = (current, size) ->
                            sampleNext[0] = Math.max(sampleNext[0], KERNELS.maxOrZero(current, size));
                    private final SegmentStepper plain = new SpikingNetwork(topology, params)
                            .probing(layer, () -> measure).segment(resume.stage, plainCuts);
                    private SegmentStepper ahead;
                    private float aheadGuess = Float.NaN;

                    @Override
                    public void process(int k) {
                        int i = order[k];
                        float guess = Float.intBitsToFloat(largestBits.get());
                        SegmentStepper stepper = plain;
                        if (guess > 0f) {
                            if (Float.compare(guess, aheadGuess) != 0) {
                                ahead = new SpikingNetwork(topology, params.withThreshold(layer, guess))
                                        .probing(next, () -> nextMeasure).observing(layer, () -> measure)
                                        .segment(resume.stage, aheadCuts);
                                aheadGuess = guess;
                            }
                            stepper = ahead;
                            sampleNext[0] = 0f;
                        }
                        CutRecording[] r = resume.recordings == null
                                ? stepper.run(data.get(i).steps(settings.steps(), settings.seed() + i), budget)
                                : stepper.run(resume.recordings[i], budget);
                        atRecord[i] = record < 0 ? null : r[0];
                        if (stepper != plain) {
                            guessOf[i] = guess;
                            nextLargest[i] = sampleNext[0];
                            atNext[i] = r[r.length - 1];
                        }
                    }

                    @Override
                    public PositiveValueHistogram result() {
                        return currents;
                    }
                }, layerProgress);
        PositiveValueHistogram layerCurrents = new PositiveValueHistogram();
        parts.forEach(layerCurrents::merge);
        float vth = layerCurrents.percentile(100);
        requirePositive(vth, topology.layers().get(layer), settings, n);
        // a sample carried the next layer's measurement if it ran at the final threshold, to the bit
        int[] again = IntStream.range(0, n).filter(i -> Float.compare(guessOf[i], vth) != 0).toArray();
        int carried = n - again.length;
        progress.phase("layer " + nextName + " (" + nextOrdinal + "/" + layerCount + "), " + again.length + " of " + n
                + " samples");
        float nextVth = 0f;
        CutRecording[] recordings = atNext;
        int resumed = resume.stage > 0 ? 1 : 0;
        if (again.length > 0) {
            CutRecording[] fromRecord = record < 0 ? null : complete(atRecord, again);
            Resume from = fromRecord != null ? new Resume(record, fromRecord) : resume;
            SpikingNetwork exact = new SpikingNetwork(topology, params.withThreshold(layer, vth));
            Pass redo = currents(topology, exact, next, -1, data, again, settings, false, from,
                    new int[]{recordNext}, true, budget,
                    (d, t) -> nextProgress.progress((int) ((long) d * n / again.length), n));
            resumed += from.stage > 0 ? 1 : 0;
            nextVth = redo.currents.layer.percentile(100);
            for (int i : again) {
                recordings[i] = redo.recorded[0][i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (Float.compare(guessOf[i], vth) == 0) {
                nextVth = Math.max(nextVth, nextLargest[i]);
            }
        }
        requirePositive(nextVth, topology.layers().get(next), settings, n);
        CutRecording[] all = complete(recordings, IntStream.range(0, n).toArray());
        return new LookAhead(vth, nextVth, carried, all == null ? null : new Resume(recordNext, all), resumed);
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

    /**
     * A pass's currents, the largest currents per step of an observed layer below (or null), and
     * per cut it was to record, the recordings by sample index (null where not run or over budget).
     */
    private record Pass(Currents currents, PositiveValueHistogram observed, CutRecording[][] recorded,
                        boolean fromTable, boolean endedAtCeiling) {
    }

    private CutRecording.Budget budget() {
        // the recordings of the previous pass are still held: half of what is left
        return budgetBytes < 0 ? CutRecording.Budget.ofFreeHeap(0.5) : new CutRecording.Budget(budgetBytes);
    }

    /**
     * One pass over the given samples: the currents into {@code layer} (which does not fire), the
     * largest currents per step into {@code observed} (which fires as usual; -1 for none), and
     * recordings of the cuts {@code records}.
     */
    private static Pass currents(SpikingTopology topology, SpikingNetwork network, int layer, int observed,
                                 Dataset data, int[] samples, CalibrationSettings settings, boolean channelWise,
                                 Resume resume, int[] records, boolean shortcuts, CutRecording.Budget budget,
                                 ProgressListener progress) {
        boolean exactMax = settings.method().percentile() >= 100;
        int channels = 0;
        if (channelWise) {
            var shape = topology.network().shapeOf(topology.layers().get(layer).inputValue());
            channels = shape.isFlat() ? shape.size() : shape.channels();
        }
        int perChannel = channels;
        SpikeMapMaxima maxima = shortcuts && exactMax && channels == 0 && resume.stage == 0 && records.length == 0
                && observed < 0 ? network.inputConvolutionMaxima(layer) : null;
        if (maxima != null) {
            AtomicBoolean reached = new AtomicBoolean();
            Currents largest = largestInputConvolutionCurrents(maxima, data, samples, settings, progress, reached);
            return new Pass(largest, null, new CutRecording[0][], true, reached.get());
        }
        Queue<Currents> parts = new ConcurrentLinkedQueue<>();
        Queue<PositiveValueHistogram> observedParts = new ConcurrentLinkedQueue<>();
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
        if (observed >= 0) {
            probed = probed.observing(observed, () -> {
                PositiveValueHistogram part = new PositiveValueHistogram();
                observedParts.add(part);
                return (current, size) -> part.record(KERNELS.maxOrZero(current, size));
            });
        }
        SpikingNetwork run = probed;
        CutRecording[][] recorded = new CutRecording[records.length][data.size()];
        SampleWorkers.run(samples.length, settings.threads(), () -> new SampleWorkers.Worker<Void>() {
            private final SegmentStepper stepper = run.segment(resume.stage, records);

            @Override
            public void process(int k) {
                int i = samples[k];
                CutRecording[] r = resume.recordings == null
                        ? stepper.run(data.get(i).steps(settings.steps(), settings.seed() + i), budget)
                        : stepper.run(resume.recordings[i], budget);
                for (int c = 0; c < r.length; c++) {
                    recorded[c][i] = r[c];
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
        PositiveValueHistogram observedMerged = null;
        if (observed >= 0) {
            observedMerged = new PositiveValueHistogram();
            for (PositiveValueHistogram p : observedParts) {
                observedMerged.merge(p);
            }
        }
        return new Pass(merged, observedMerged, recorded, false, false);
    }

    /**
     * A pass for a layer fed straight by a convolution of the input: each step's largest current
     * from the convolution's pattern table, the same floats as simulating it (the layer before
     * has no state: its currents depend on the step's input only). Only the largest of them all
     * is wanted, so once a step reaches the table's own largest current no other step can change
     * the threshold, and the pass ends there ({@code reached} is set).
     */
    private static Currents largestInputConvolutionCurrents(SpikeMapMaxima maxima, Dataset data, int[] samples,
                                                            CalibrationSettings settings, ProgressListener progress,
                                                            AtomicBoolean reached) {
        float ceiling = maxima.ceiling();
        List<PositiveValueHistogram> parts = SampleWorkers.run(samples.length, settings.threads(),
                () -> new SampleWorkers.Worker<PositiveValueHistogram>() {
                    private final SpikeMapMaxima.Probe probe = maxima.newProbe();
                    private final PositiveValueHistogram largest = new PositiveValueHistogram();

                    @Override
                    public void process(int k) {
                        if (reached.get()) {
                            return;
                        }
                        int i = samples[k];
                        data.get(i).steps(settings.steps(), settings.seed() + i).takeUntil(s -> {
                            float m = probe.largestOrZero(s);
                            largest.record(m);
                            if (m >= ceiling) {
                                reached.set(true);
                            }
                            return reached.get();
                        }).blockLast();
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
