package io.spikeflux.engine.graph;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaxPoolTest {

    /** A 2x2 input, one channel, pooled by one 2x2 window. */
    private final MaxPool pool = new MaxPool(new TensorShape(2, 2, 1), new TensorShape(1, 1, 1), 2, 2, 2, 2, 0, 0);

    private static float[] spikes(int... indices) {
        float[] x = new float[4];
        for (int i : indices) {
            x[i] = 1f;
        }
        return x;
    }

    private static int step(MaxPool.Gate gate, int... indices) {
        return gate.step(spikes(indices), indices, indices.length);
    }

    @Test
    void annForwardTakesTheWindowMaximumIgnoringPadding() {
        MaxPool padded = new MaxPool(new TensorShape(2, 2, 2), new TensorShape(2, 2, 2), 2, 2, 1, 1, 1, 1);
        float[] in = {-1, 5, -2, 6, -3, 7, -4, 8}; // channel-last: pixel (y,x) holds (c0, c1)
        float[] out = new float[8];
        padded.forward(in, out);
        // output (0,0) sees only input (0,0); (1,1) sees all four pixels; padding never wins
        assertArrayEquals(new float[]{-1, 5, -1, 6, -1, 7, -1, 8}, out);
    }

    @Test
    void gatePassesTheSpikesOfTheMostActiveInputSoFar() {
        MaxPool.Gate gate = pool.newGate();
        // input 2 fires first: it leads and its spike passes
        assertEquals(1, step(gate, 2));
        // input 3 fires once: tied with 2 at one spike, the lower index (2) keeps the lead
        assertEquals(0, step(gate, 3));
        // input 3 fires again: two spikes against one, it takes over and passes
        assertEquals(1, step(gate, 3));
        // input 2 catches up to two spikes: tied again, the lower index leads and passes
        assertEquals(1, step(gate, 2));
        assertEquals(1, step(gate, 3));
        // both fire: 3 (four spikes against three) leads; the window passes exactly one spike
        assertEquals(1, step(gate, 2, 3));
        assertEquals(1f, gate.passedValues()[gate.passedIndices()[0]]);
        // input 0 fires: it has one spike, 3 has four: nothing passes
        assertEquals(0, step(gate, 0));
    }

    @Test
    void simultaneousFirstSpikesGoToTheLowestIndexAndResetForgetsTheCounts() {
        MaxPool.Gate gate = pool.newGate();
        assertEquals(1, step(gate, 1, 3));
        assertEquals(1, step(gate, 1));
        assertEquals(0, step(gate, 3));
        gate.reset();
        assertEquals(1, step(gate, 3), "after a reset the first spike leads again");
    }

    @Test
    void gateRateConvergesToTheRateOfTheMostActiveInput() {
        // four inputs firing regularly at rates 0.2, 0.5, 0.3, 0.45: the window passes ~0.5
        MaxPool.Gate gate = pool.newGate();
        double[] rates = {0.2, 0.5, 0.3, 0.45};
        double[] acc = new double[4];
        int passed = 0;
        int steps = 2000;
        for (int t = 0; t < steps; t++) {
            int[] active = new int[4];
            int n = 0;
            for (int i = 0; i < 4; i++) {
                acc[i] += rates[i];
                if (acc[i] >= 1) {
                    acc[i] -= 1;
                    active[n++] = i;
                }
            }
            passed += step(gate, Arrays.copyOf(active, n));
        }
        assertEquals(0.5, passed / (double) steps, 0.01);
    }
}
