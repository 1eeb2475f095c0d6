package io.spikeflux.engine.snn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Neuron traces computed by hand: vth = 1, input currents 0.6, 0.6, 0.6, 1.5, 0.2. */
class IntegrateAndFireLayerTest {

    private static final float[] CURRENTS = {0.6f, 0.6f, 0.6f, 1.5f, 0.2f};

    @Test
    void resetToZeroLosesTheExcess() {
        // v: 0.6, 1.2->spike->0, 0.6, 2.1->spike->0, 0.2
        assertTrace(ResetMode.ZERO, 0f, new float[]{0.6f, 0f, 0.6f, 0f, 0.2f}, new int[]{0, 1, 0, 1, 0});
    }

    @Test
    void resetBySubtractionKeepsTheExcess() {
        // v: 0.6, 1.2->spike->0.2, 0.8, 2.3->spike->1.3, 1.5->spike->0.5
        assertTrace(ResetMode.SUBTRACT, 0f, new float[]{0.6f, 0.2f, 0.8f, 1.3f, 0.5f}, new int[]{0, 1, 0, 1, 1});
    }

    @Test
    void halfThresholdStartFiresEarlier() {
        // v: 0.5+0.6=1.1->spike->0, 0.6, 1.2->spike->0, 1.5->spike->0, 0.2
        assertTrace(ResetMode.ZERO, 0.5f, new float[]{0f, 0.6f, 0f, 0f, 0.2f}, new int[]{1, 0, 1, 1, 0});
    }

    private static void assertTrace(ResetMode mode, float initial, float[] membranes, int[] spikes) {
        IntegrateAndFireLayer layer = new IntegrateAndFireLayer("n", 1, 1f, mode);
        layer.resetState(initial);
        float[] v = new float[CURRENTS.length];
        int[] s = new int[CURRENTS.length];
        for (int t = 0; t < CURRENTS.length; t++) {
            s[t] = layer.integrate(new float[]{CURRENTS[t]});
            v[t] = layer.membrane(0);
        }
        assertArrayEquals(spikes, s, "spikes of " + mode);
        assertArrayEquals(membranes, v, 1e-6f, "membrane of " + mode);
        assertEquals(spikes[spikes.length - 1], layer.spikeCount());
    }
}
