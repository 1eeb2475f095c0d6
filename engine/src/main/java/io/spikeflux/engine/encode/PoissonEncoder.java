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
        return Flux.generate(() -> new State(new SplittableRandom(seed)), (state, sink) -> {
            if (state.step >= timesteps) {
                sink.complete();
                return state;
            }
            sink.next(draw(frame, nonZero, signed, state.random, state.step++));
            return state;
        });
    }

    /** One step's draw; exposed for callers that run without Reactor in a tight loop. */
    public static SpikeStep draw(float[] frame, int[] nonZero, boolean signed, SplittableRandom random, int step) {
        int[] idx = new int[nonZero.length];
        float[] val = signed ? new float[nonZero.length] : null;
        int n = 0;
        for (int i : nonZero) {
            float x = frame[i];
            float p = Math.min(1f, Math.abs(x));
            if (random.nextFloat() < p) {
                idx[n] = i;
                if (val != null) {
                    val[n] = x > 0 ? 1f : -1f;
                }
                n++;
            }
        }
        return new SpikeStep(step, n, idx, val);
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
        int step;

        State(SplittableRandom random) {
            this.random = random;
        }
    }
}
