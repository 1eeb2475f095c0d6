package io.spikeflux.engine.encode;

import reactor.core.publisher.Flux;

import java.util.SplittableRandom;

/**
 * Rate coding of frames: at every step each pixel spikes with probability |x| and the sign of x
 * (x in [-1, 1]). Built on {@link Flux#generate}, so it only draws what downstream requests, and
 * seeded, so a run is reproducible.
 */
public final class PoissonEncoder {

    private PoissonEncoder() {
    }

    public static Flux<SpikeStep> encode(float[] frame, int timesteps, long seed) {
        int[] nonZero = nonZeroIndices(frame);
        boolean signed = hasNegative(frame);
        float[] probability = new float[nonZero.length];
        for (int k = 0; k < nonZero.length; k++) {
            probability[k] = Math.min(1f, Math.abs(frame[nonZero[k]]));
        }
        return Flux.generate(() -> new State(new SplittableRandom(seed), nonZero.length), (state, sink) -> {
            if (state.step >= timesteps) {
                sink.complete();
                return state;
            }
            sink.next(draw(frame, nonZero, probability, signed, state, state.step++));
            return state;
        });
    }

    /** One step's draw: the spikes are copied into arrays of their exact size, owned by the step. */
    private static SpikeStep draw(float[] frame, int[] nonZero, float[] probability, boolean signed, State state,
                                  int step) {
        int[] idx = state.indices;
        float[] val = signed ? state.values : null;
        SplittableRandom random = state.random;
        int n = 0;
        // branch-free: a pixel spikes with probabilities all over [0, 1], so a branch on the draw
        // is mispredicted often; the index is written and then counted or overwritten
        for (int k = 0; k < nonZero.length; k++) {
            int i = nonZero[k];
            idx[n] = i;
            if (val != null) {
                val[n] = frame[i] > 0 ? 1f : -1f;
            }
            n += random.nextFloat() < probability[k] ? 1 : 0;
        }
        return new SpikeStep(step, n, java.util.Arrays.copyOf(idx, n), val == null ? null : java.util.Arrays.copyOf(val, n));
    }

    public static int[] nonZeroIndices(float[] frame) {
        int n = 0;
        for (float v : frame) {
            if (v != 0f) {
                n++;
            }
        }
        int[] idx = new int[n];
        n = 0;
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] != 0f) {
                idx[n++] = i;
            }
        }
        return idx;
    }

    public static boolean hasNegative(float[] frame) {
        for (float v : frame) {
            if (v < 0f) {
                return true;
            }
        }
        return false;
    }

    private static final class State {
        final SplittableRandom random;
        /** Scratch for one step's draw; the step gets copies of its exact size. */
        final int[] indices;
        final float[] values;
        int step;

        State(SplittableRandom random, int pixels) {
            this.random = random;
            this.indices = new int[pixels];
            this.values = new float[pixels];
        }
    }
}
