package io.spikeflux.engine.graph;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IndexDivisorTest {

    @Test
    void dividesEveryIndexOfALayerExactly() {
        // every index of activations up to 64 channels of 224x224, by every channel count and width up to 1024
        for (int d = 1; d <= 1024; d++) {
            IndexDivisor divisor = new IndexDivisor(d);
            for (int i = 0; i < 64 * 224 * 224; i += d <= 16 ? 1 : 7) {
                if (divisor.divide(i) != i / d) {
                    assertEquals(i / d, divisor.divide(i), i + " / " + d);
                }
            }
        }
    }

    @Test
    void dividesAtTheEdgesOfTheIntRange() {
        SplittableRandom random = new SplittableRandom(1);
        int[] divisors = {1, 2, 3, 7, 641, 65_537, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        for (int k = 0; k < 1000; k++) {
            int d = k < divisors.length ? divisors[k] : 1 + random.nextInt(Integer.MAX_VALUE);
            IndexDivisor divisor = new IndexDivisor(d);
            for (int i : new int[]{0, 1, d - 1, d, Integer.MAX_VALUE, Integer.MAX_VALUE - 1,
                    Integer.MAX_VALUE / d * d, Integer.MAX_VALUE / d * d - 1, random.nextInt(Integer.MAX_VALUE)}) {
                if (i >= 0) {
                    assertEquals(i / d, divisor.divide(i), i + " / " + d);
                }
            }
        }
    }

    @Test
    void refusesAZeroDivisor() {
        assertThrows(IllegalArgumentException.class, () -> new IndexDivisor(0));
    }
}
