package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;

import java.util.Random;

/** Random single-channel convolutions and spike maps for the pattern-table tests. */
final class SpikeMapFixtures {

    private final Random r;

    SpikeMapFixtures(long seed) {
        this.r = new Random(seed);
    }

    float[] gaussian(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * scale;
        }
        return a;
    }

    /** A convolution of a one-channel {@code h x w} map, weights Gaussian around {@code weightMean}. */
    Conv2d conv(int h, int w, int kh, int kw, int stride, int padTop, int padLeft, int cout, boolean bias,
                float weightMean) {
        int oh = (h + 2 * padTop - kh) / stride + 1;
        int ow = (w + 2 * padLeft - kw) / stride + 1;
        float[] weights = gaussian(kh * kw * cout, 1f);
        for (int i = 0; i < weights.length; i++) {
            weights[i] += weightMean;
        }
        return new Conv2d(new TensorShape(h, w, 1), new TensorShape(oh, ow, cout), kh, kw, stride, stride, padTop,
                padLeft, weights, bias ? gaussian(cout, 0.5f) : null);
    }

    /**
     * Spikes of a map of {@code pixels} for step {@code trial}: none every fifth trial, all every
     * seventh, else each pixel with a random rate.
     */
    SpikeStep spikeMap(int trial, int pixels) {
        double rate = trial % 5 == 0 ? 0 : trial % 7 == 0 ? 1 : r.nextDouble();
        return spikeMap(trial, pixels, rate);
    }

    /** Spikes of a map of {@code pixels}, each pixel with probability {@code rate}. */
    SpikeStep spikeMap(int step, int pixels, double rate) {
        int[] active = new int[pixels];
        int n = 0;
        for (int i = 0; i < pixels; i++) {
            if (r.nextDouble() < rate) {
                active[n++] = i;
            }
        }
        return new SpikeStep(step, n, active, null);
    }
}
