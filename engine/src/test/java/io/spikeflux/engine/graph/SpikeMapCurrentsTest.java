package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A convolution of a spike map by pattern table writes, to the bit, the currents its scatter writes. */
class SpikeMapCurrentsTest {

    private final SpikeMapFixtures f = new SpikeMapFixtures(11);

    /** Output currents (as bits) and synaptic operations of one kernel for one step, loaded as the network loads it. */
    private static int[] run(Conv2d conv, LinearKernel kernel, SpikeStep step, long[] ops) {
        float[] input = new float[conv.inputShape().size()];
        int[] active = new int[Math.max(1, step.count())];
        int n = step.addTo(input, active);
        float[] output = new float[conv.outputShape().size()];
        conv.initOutput(output);
        ops[0] = kernel.propagate(input, active, n, output);
        int[] bits = new int[output.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(output[i]);
        }
        return bits;
    }

    @Test
    void everySpikeMapGivesTheScattersCurrentsAndSynapticOps() {
        Conv2d[] convs = {
                f.conv(28, 28, 3, 3, 1, 1, 1, 16, false, 0f),   // LeNet's first layer: 16 channels, one vector
                f.conv(28, 28, 3, 3, 1, 1, 1, 32, true, 0f),    // VGG's, with a bias
                f.conv(17, 13, 3, 3, 2, 0, 0, 8, true, 0f),     // stride 2, no padding, half a vector
                f.conv(12, 15, 2, 5, 1, 0, 2, 20, false, 0f),   // a 2x5 window, padding on the sides, a tail
                f.conv(9, 9, 1, 1, 1, 0, 0, 3, true, 0f),       // a 1x1 window
        };
        for (Conv2d conv : convs) {
            LinearKernel table = conv.newKernel();
            LinearKernel scatter = conv.newScatterKernel();
            int pixels = conv.inputShape().size();
            for (int trial = 0; trial < 100; trial++) {
                SpikeStep step = f.spikeMap(trial, pixels);
                long[] tableOps = new long[1];
                long[] scatterOps = new long[1];
                assertArrayEquals(run(conv, scatter, step, scatterOps), run(conv, table, step, tableOps),
                        conv.describe() + " trial " + trial);
                assertEquals(scatterOps[0], tableOps[0], conv.describe() + " trial " + trial + ": synaptic ops");
            }
        }
    }

    @Test
    void inputsOtherThanSingleOnesInAscendingOrderTakeTheScatter() {
        Conv2d conv = f.conv(10, 10, 3, 3, 1, 1, 1, 16, true, 0f);
        LinearKernel table = conv.newKernel();
        LinearKernel scatter = conv.newScatterKernel();
        SpikeStep signed = new SpikeStep(0, 4, new int[]{3, 14, 15, 92}, new float[]{1f, -1f, 1f, 0.37f});
        SpikeStep twice = new SpikeStep(1, 4, new int[]{3, 14, 14, 15}, null);
        SpikeStep descending = new SpikeStep(2, 4, new int[]{92, 15, 14, 3}, null);
        // and the table again after the scatter
        SpikeStep ascending = new SpikeStep(3, 4, new int[]{3, 14, 15, 92}, null);
        for (SpikeStep step : new SpikeStep[]{signed, twice, descending, ascending}) {
            long[] ops = new long[1];
            assertArrayEquals(run(conv, scatter, step, ops), run(conv, table, step, ops), "step " + step.step());
        }
    }
}
