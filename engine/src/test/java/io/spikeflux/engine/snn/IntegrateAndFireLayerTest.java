package io.spikeflux.engine.snn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * A table row of zeros may be skipped only where that changes nothing: a neuron at or above a
     * positive threshold (reset by subtraction, or started there) fires without current, and a
     * threshold of zero or below fires every neuron. In every case the layer's results equal
     * integrating the row.
     */
    @ParameterizedTest
    @CsvSource({"ZERO, 1.0, 0.5", "ZERO, 1.0, 1.5", "SUBTRACT, 1.0, 0.5", "ZERO, 0.0, 0.5", "ZERO, -1.0, 0.5",
            "ZERO, NaN, 0.5"})
    void aRowOfZerosIsSkippedOnlyWhereThatChangesNothing(ResetMode mode, float threshold, float initial) {
        // two pixels of two channels; row 0 is zeros, row 1 drives pixel 1's neurons far above threshold
        float[] table = {0f, 0f, 2.7f, 3.1f};
        int[] rows = {0, 1};
        IntegrateAndFireLayer skipping = new IntegrateAndFireLayer("a", 4, threshold, mode);
        IntegrateAndFireLayer integrating = new IntegrateAndFireLayer("b", 4, threshold, mode);
        skipping.resetState(initial);
        integrating.resetState(initial);
        for (int step = 0; step < 4; step++) {
            rows[1] = step % 2;
            int n = skipping.integrateRows(table, rows, 2, 2, 0);
            assertEquals(integrating.integrateRows(table, rows, 2, 2, -1), n, mode + " step " + step);
            for (int i = 0; i < 4; i++) {
                assertEquals(Float.floatToIntBits(integrating.membrane(i)), Float.floatToIntBits(skipping.membrane(i)),
                        mode + " step " + step + " neuron " + i);
            }
            assertArrayEquals(java.util.Arrays.copyOf(integrating.spikes(), n), java.util.Arrays.copyOf(skipping.spikes(), n));
        }
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
