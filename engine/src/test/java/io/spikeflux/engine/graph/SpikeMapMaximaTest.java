package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.kernel.Kernels;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pattern table gives, to the bit, the largest of the currents the convolution's scatter writes. */
class SpikeMapMaximaTest {

    private final Random r = new Random(7);

    private float[] gaussian(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * scale;
        }
        return a;
    }

    /** {@code maxOrZero} of the outputs the scatter writes for a step, loaded as the network loads it. */
    private static float scattered(Conv2d conv, SpikeStep step) {
        float[] input = new float[conv.inputShape().size()];
        int[] distinct = new int[step.count()];
        int n = step.addTo(input, distinct);
        float[] output = new float[conv.outputShape().size()];
        conv.initOutput(output);
        conv.newScatterKernel().propagate(input, distinct, n, output);
        return Kernels.get().maxOrZero(output, output.length);
    }

    private Conv2d conv(int h, int w, int kh, int kw, int stride, int padTop, int padLeft, int cout, boolean bias,
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

    @Test
    void largestCurrentOfEverySpikeMapIsTheScattersToTheBit() {
        Conv2d[] convs = {
                conv(28, 28, 3, 3, 1, 1, 1, 16, false, 0.2f),   // LeNet's first layer
                conv(28, 28, 3, 3, 1, 1, 1, 32, true, 0f),      // VGG's, with a bias
                conv(17, 13, 3, 3, 2, 0, 0, 8, true, -0.3f),    // stride 2, no padding, mostly negative
                conv(12, 15, 2, 5, 1, 0, 2, 4, false, 0.1f),    // a 2x5 window, padding on the sides only
                conv(9, 9, 1, 1, 1, 0, 0, 3, true, 0f),         // a 1x1 window
        };
        for (Conv2d conv : convs) {
            SpikeMapMaxima.Probe probe = conv.spikeMapMaxima().newProbe();
            int pixels = conv.inputShape().size();
            for (int trial = 0; trial < 200; trial++) {
                double rate = trial % 5 == 0 ? 0 : trial % 7 == 0 ? 1 : r.nextDouble();
                int[] active = new int[pixels];
                int n = 0;
                for (int i = 0; i < pixels; i++) {
                    if (r.nextDouble() < rate) {
                        active[n++] = i;
                    }
                }
                SpikeStep step = new SpikeStep(trial, n, active, null);
                float expected = scattered(conv, step);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(probe.largestOrZero(step)),
                        conv.describe() + " trial " + trial + ": " + expected);
            }
        }
    }

    @Test
    void theCeilingBoundsEveryStepAndAWindowWithTheBestPatternReachesIt() {
        Conv2d conv = conv(12, 12, 3, 3, 1, 1, 1, 8, true, 0.1f);
        SpikeMapMaxima maxima = conv.spikeMapMaxima();
        SpikeMapMaxima.Probe probe = maxima.newProbe();
        for (int trial = 0; trial < 50; trial++) {
            int[] active = new int[144];
            int n = 0;
            for (int i = 0; i < 144; i++) {
                if (r.nextDouble() < 0.3) {
                    active[n++] = i;
                }
            }
            assertTrue(probe.largestOrZero(new SpikeStep(trial, n, active, null)) <= maxima.ceiling());
        }
        // every 3x3 pattern of spikes around pixel (5, 5): one of them gives the ceiling
        float best = 0f;
        for (int pattern = 0; pattern < 512; pattern++) {
            int[] active = new int[9];
            int n = 0;
            for (int t = 0; t < 9; t++) {
                if ((pattern >>> t & 1) != 0) {
                    active[n++] = (4 + t / 3) * 12 + 4 + t % 3;
                }
            }
            best = Math.max(best, probe.largestOrZero(new SpikeStep(pattern, n, active, null)));
        }
        assertEquals(maxima.ceiling(), best);
    }

    @Test
    void inputsOtherThanSingleOnesInAscendingOrderTakeTheScatter() {
        Conv2d conv = conv(10, 10, 3, 3, 1, 1, 1, 8, true, 0.1f);
        SpikeMapMaxima.Probe probe = conv.spikeMapMaxima().newProbe();
        SpikeStep signed = new SpikeStep(0, 4, new int[]{3, 14, 15, 92}, new float[]{1f, -1f, 1f, 0.37f});
        SpikeStep twice = new SpikeStep(1, 4, new int[]{3, 14, 14, 15}, null);
        SpikeStep descending = new SpikeStep(2, 4, new int[]{92, 15, 14, 3}, null);
        // and the table again after the scatter
        SpikeStep ascending = new SpikeStep(3, 4, new int[]{3, 14, 15, 92}, null);
        for (SpikeStep step : new SpikeStep[]{signed, twice, descending, ascending}) {
            assertEquals(scattered(conv, step), probe.largestOrZero(step), "step " + step.step());
        }
    }

    @Test
    void onlySingleChannelUngroupedConvolutionsWithSmallWindowsHaveATable() {
        assertNotNull(conv(8, 8, 2, 5, 1, 0, 0, 4, false, 0f).spikeMapMaxima());
        assertNull(conv(8, 8, 4, 3, 1, 0, 0, 4, false, 0f).spikeMapMaxima(), "12 taps");
        Conv2d twoChannels = new Conv2d(new TensorShape(8, 8, 2), new TensorShape(6, 6, 4), 3, 3, 1, 1, 0, 0,
                gaussian(3 * 3 * 2 * 4, 1f), null);
        assertNull(twoChannels.spikeMapMaxima(), "two input channels");
        Conv2d perElementBias = new Conv2d(new TensorShape(8, 8, 1), new TensorShape(6, 6, 4), 3, 3, 1, 1, 0, 0,
                gaussian(3 * 3 * 4, 1f), gaussian(6 * 6 * 4, 1f));
        assertNull(perElementBias.spikeMapMaxima(), "a bias per output element");
    }
}
