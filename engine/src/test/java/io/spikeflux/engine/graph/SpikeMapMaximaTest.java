package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.kernel.Kernels;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pattern table gives, to the bit, the largest of the currents the convolution's scatter writes. */
class SpikeMapMaximaTest {

    private final SpikeMapFixtures f = new SpikeMapFixtures(7);

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

    @Test
    void largestCurrentOfEverySpikeMapIsTheScattersToTheBit() {
        Conv2d[] convs = {
                f.conv(28, 28, 3, 3, 1, 1, 1, 16, false, 0.2f),   // LeNet's first layer
                f.conv(28, 28, 3, 3, 1, 1, 1, 32, true, 0f),      // VGG's, with a bias
                f.conv(17, 13, 3, 3, 2, 0, 0, 8, true, -0.3f),    // stride 2, no padding, mostly negative
                f.conv(12, 15, 2, 5, 1, 0, 2, 4, false, 0.1f),    // a 2x5 window, padding on the sides only
                f.conv(9, 9, 1, 1, 1, 0, 0, 3, true, 0f),         // a 1x1 window
        };
        for (Conv2d conv : convs) {
            SpikeMapMaxima.Probe probe = conv.spikeMapMaxima().newProbe();
            int pixels = conv.inputShape().size();
            for (int trial = 0; trial < 200; trial++) {
                SpikeStep step = f.spikeMap(trial, pixels);
                float expected = scattered(conv, step);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(probe.largestOrZero(step)),
                        conv.describe() + " trial " + trial + ": " + expected);
            }
        }
    }

    @Test
    void theCeilingBoundsEveryStepAndAWindowWithTheBestPatternReachesIt() {
        Conv2d conv = f.conv(12, 12, 3, 3, 1, 1, 1, 8, true, 0.1f);
        SpikeMapMaxima maxima = conv.spikeMapMaxima();
        SpikeMapMaxima.Probe probe = maxima.newProbe();
        for (int trial = 0; trial < 50; trial++) {
            assertTrue(probe.largestOrZero(f.spikeMap(trial, 144, 0.3)) <= maxima.ceiling());
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
        Conv2d conv = f.conv(10, 10, 3, 3, 1, 1, 1, 8, true, 0.1f);
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
        assertNotNull(f.conv(8, 8, 2, 5, 1, 0, 0, 4, false, 0f).spikeMapMaxima());
        assertNull(f.conv(8, 8, 4, 3, 1, 0, 0, 4, false, 0f).spikeMapMaxima(), "12 taps");
        Conv2d twoChannels = new Conv2d(new TensorShape(8, 8, 2), new TensorShape(6, 6, 4), 3, 3, 1, 1, 0, 0,
                f.gaussian(3 * 3 * 2 * 4, 1f), null);
        assertNull(twoChannels.spikeMapMaxima(), "two input channels");
        Conv2d perElementBias = new Conv2d(new TensorShape(8, 8, 1), new TensorShape(6, 6, 4), 3, 3, 1, 1, 0, 0,
                f.gaussian(3 * 3 * 4, 1f), f.gaussian(6 * 6 * 4, 1f));
        assertNull(perElementBias.spikeMapMaxima(), "a bias per output element");
    }
}
