package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.SpikeMapMaxima;
import io.spikeflux.engine.kernel.Kernels;
import io.spikeflux.engine.snn.CutRecording;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SegmentStepper;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SPIKE-NORM pass: the calibration samples simulated up to a layer, whose input currents are
 * measured, starting at the input or at a recorded cut and recording later cuts on the way.
 */
final class CalibrationPass {

    private static final Kernels KERNELS = Kernels.get();

    private CalibrationPass() {
    }

    /** The input currents of one layer over the calibration data: all of them, and per channel. */
    record Currents(PositiveValueHistogram layer, PositiveValueHistogram[] channel) {
    }

    /** Where a pass starts: the input, or a cut (stage index) recorded for every sample. */
    record Resume(int stage, CutRecording[] recordings) {
        static final Resume INPUT = new Resume(0, null);
    }

    /**
     * What a pass found: its currents, the largest currents per step of an observed layer below
     * (or null), and per cut it was to record, the recordings by sample index (null where not
     * run or over budget).
     */
    record Result(Currents currents, PositiveValueHistogram observed, CutRecording[][] recorded, boolean fromTable,
                  boolean endedAtCeiling) {
    }

    /**
     * One pass over the given samples: the currents into {@code layer} (which does not fire), the
     * largest currents per step into {@code observed} (which fires as usual; -1 for none), and
     * recordings of the cuts {@code records}.
     */
    static Result run(SpikingTopology topology, SpikingNetwork network, int layer, int observed, Dataset data,
                      int[] samples, CalibrationSettings settings, boolean channelWise, Resume resume, int[] records,
                      boolean shortcuts, CutRecording.Budget budget, ProgressListener progress) {
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
            Currents largest = tableMaxima(maxima, data, samples, settings, progress, reached);
            return new Result(largest, null, new CutRecording[0][], true, reached.get());
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
        return new Result(merged, observedMerged, recorded, false, false);
    }

    /**
     * A pass for a layer fed straight by a convolution of the input: each step's largest current
     * from the convolution's pattern table, the same floats as simulating it (the layer before
     * has no state: its currents depend on the step's input only). Only the largest of them all
     * is wanted, so once a step reaches the table's own largest current no other step can change
     * the threshold, and the pass ends there ({@code reached} is set).
     */
    private static Currents tableMaxima(SpikeMapMaxima maxima, Dataset data, int[] samples,
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

    /** The recordings of the given samples, or null when one is missing (the budget ran out). */
    static CutRecording[] complete(CutRecording[] recordings, int[] samples) {
        for (int i : samples) {
            if (recordings[i] == null) {
                return null;
            }
        }
        return recordings;
    }

    /** A threshold must be positive: a layer that never received a positive current cannot be calibrated. */
    static void requirePositive(float vth, NeuralLayer layer, CalibrationSettings settings, int samples) {
        if (!(vth > 0f)) {
            throw new IllegalStateException("layer " + layer.name() + " received no positive current in "
                    + settings.steps() + " steps on " + samples + " samples; cannot calibrate it");
        }
    }

    private static PositiveValueHistogram[] histograms(int n) {
        PositiveValueHistogram[] h = new PositiveValueHistogram[n];
        for (int i = 0; i < n; i++) {
            h[i] = new PositiveValueHistogram(19);
        }
        return h;
    }
}
