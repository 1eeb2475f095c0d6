package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.kernel.Kernels;
import io.spikeflux.engine.snn.CurrentProbe;
import io.spikeflux.engine.snn.CutRecording;
import io.spikeflux.engine.snn.SegmentStepper;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * SPIKE-NORM's look-ahead over a layer and the next one (see {@link SpikeNormCalibrator}): each
 * sample runs with the largest current into the layer seen so far as the layer's threshold, past
 * it up to the next layer's probe; the samples that ran at the final threshold need no pass of
 * their own for the next layer.
 */
final class LookAhead {

    private static final Kernels KERNELS = Kernels.get();

    private LookAhead() {
    }

    /** Per sample and neural layer, the largest input current of the ANN: the order of a look-ahead. */
    static float[][] annMaxima(SpikingTopology topology, Dataset data, int threads) {
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
    static int[] order(float[][] annMaxima, int layer, int n, boolean smallestFirst) {
        return IntStream.range(0, n).boxed().sorted((a, b) -> {
            int c = Float.compare(annMaxima[b][layer], annMaxima[a][layer]);
            c = smallestFirst ? -c : c;
            return c != 0 ? c : Integer.compare(a, b);
        }).mapToInt(Integer::intValue).toArray();
    }

    /** What a look-ahead over a layer and the next one found. */
    record Result(float threshold, float nextThreshold, int carried, CalibrationPass.Resume resume, int resumedPasses) {
    }

    /**
     * Calibrates {@code layer} and the next one. Each sample, in {@code order}, runs with the
     * largest current into {@code layer} seen so far as that layer's threshold, past it up to the
     * next layer's probe (the first ones, before any current is seen, stop at the layer). A sample
     * whose threshold turns out to be the final one has measured the next layer exactly; the
     * next layer's pass then runs for the others only, from the cut recorded before the layer.
     */
    static Result run(SpikingTopology topology, SnnParameters params, int layer, Dataset data,
                      CalibrationSettings settings, CalibrationPass.Resume resume, int record, int recordNext,
                      int[] order, CutRecording.Budget budget, ProgressListener layerProgress,
                      ProgressListener progress, String nextName, int nextOrdinal, int layerCount,
                      ProgressListener nextProgress) {
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
                            .probing(layer, () -> measure).segment(resume.stage(), plainCuts);
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
                                        .segment(resume.stage(), aheadCuts);
                                aheadGuess = guess;
                            }
                            stepper = ahead;
                            sampleNext[0] = 0f;
                        }
                        CutRecording[] r = resume.recordings() == null
                                ? stepper.run(data.get(i).steps(settings.steps(), settings.seed() + i), budget)
                                : stepper.run(resume.recordings()[i], budget);
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
        CalibrationPass.requirePositive(vth, topology.layers().get(layer), settings, n);
        // a sample carried the next layer's measurement if it ran at the final threshold, to the bit
        int[] again = IntStream.range(0, n).filter(i -> Float.compare(guessOf[i], vth) != 0).toArray();
        int carried = n - again.length;
        progress.phase("layer " + nextName + " (" + nextOrdinal + "/" + layerCount + "), " + again.length + " of " + n
                + " samples");
        float nextVth = 0f;
        CutRecording[] recordings = atNext;
        int resumed = resume.stage() > 0 ? 1 : 0;
        if (again.length > 0) {
            CutRecording[] fromRecord = record < 0 ? null : CalibrationPass.complete(atRecord, again);
            CalibrationPass.Resume from = fromRecord != null ? new CalibrationPass.Resume(record, fromRecord) : resume;
            SpikingNetwork exact = new SpikingNetwork(topology, params.withThreshold(layer, vth));
            CalibrationPass.Result redo = CalibrationPass.run(topology, exact, next, -1, data, again, settings, false, from,
                    new int[]{recordNext}, true, budget,
                    (d, t) -> nextProgress.progress((int) ((long) d * n / again.length), n));
            resumed += from.stage() > 0 ? 1 : 0;
            nextVth = redo.currents().layer().percentile(100);
            for (int i : again) {
                recordings[i] = redo.recorded()[0][i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (Float.compare(guessOf[i], vth) == 0) {
                nextVth = Math.max(nextVth, nextLargest[i]);
            }
        }
        CalibrationPass.requirePositive(nextVth, topology.layers().get(next), settings, n);
        CutRecording[] all = CalibrationPass.complete(recordings, IntStream.range(0, n).toArray());
        return new Result(vth, nextVth, carried, all == null ? null : new CalibrationPass.Resume(recordNext, all), resumed);
    }
}
