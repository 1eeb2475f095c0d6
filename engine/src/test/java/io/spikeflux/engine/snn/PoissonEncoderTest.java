package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.PoissonEncoder;
import io.spikeflux.engine.encode.SpikeStep;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoissonEncoderTest {

    private static final float[] FRAME = {0f, 0.1f, 0.5f, 0.9f, 1f, -0.3f};

    @Test
    void spikesAreBinarySignedAndTheirRateMatchesTheIntensity() {
        int steps = 20_000;
        double[] counts = new double[FRAME.length];
        List<SpikeStep> all = PoissonEncoder.encode(FRAME, steps, 3).collectList().block();
        assertEquals(steps, all.size());
        for (SpikeStep s : all) {
            for (int k = 0; k < s.count(); k++) {
                float v = s.valueAt(k);
                int i = s.indices()[k];
                assertTrue(v == 1f || v == -1f, "spike value " + v);
                assertEquals(Math.signum(FRAME[i]), v, "sign of pixel " + i);
                counts[i] += 1;
            }
        }
        for (int i = 0; i < FRAME.length; i++) {
            double rate = counts[i] / steps;
            double p = Math.abs(FRAME[i]);
            double tolerance = 4 * Math.sqrt(p * (1 - p) / steps) + 1e-9; // 4 sigma of a binomial rate
            assertEquals(p, rate, tolerance, "rate of pixel " + i);
        }
    }

    @Test
    void seededAndPullBased() {
        List<SpikeStep> a = PoissonEncoder.encode(FRAME, 50, 11).collectList().block();
        List<SpikeStep> b = PoissonEncoder.encode(FRAME, 50, 11).collectList().block();
        for (int t = 0; t < 50; t++) {
            assertEquals(a.get(t).count(), b.get(t).count());
            assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(a.get(t).indices(), a.get(t).count())),
                    java.util.Arrays.toString(java.util.Arrays.copyOf(b.get(t).indices(), b.get(t).count())));
        }
        // Flux.generate draws only what is requested: backpressure holds after 3 steps.
        StepVerifier.create(PoissonEncoder.encode(FRAME, 1_000_000, 1), 3)
                .expectNextCount(3)
                .thenCancel()
                .verify();
    }
}
