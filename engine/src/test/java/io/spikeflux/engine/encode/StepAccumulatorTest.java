package io.spikeflux.engine.encode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StepAccumulatorTest {

    /**
     * Steps from a few events (indices sorted) up to nearly every element touched (indices read off
     * in order): both give each touched element once, ascending, with its count.
     */
    @ParameterizedTest
    @CsvSource({"2, 5", "2, 60", "2, 400", "2, 20000", "1, 5", "1, 400", "1, 20000"})
    void emitsEveryTouchedElementOnceInAscendingOrderWithItsCount(int channels, int eventsPerStep) {
        int w = 34;
        int h = 34;
        StepAccumulator acc = new StepAccumulator(w, h, channels);
        SplittableRandom random = new SplittableRandom(eventsPerStep * 31L + channels);
        for (int step = 0; step < 5; step++) {
            Map<Integer, Integer> expected = new TreeMap<>();
            for (int e = 0; e < eventsPerStep; e++) {
                int x = random.nextInt(w);
                int y = random.nextInt(h);
                int p = random.nextInt(2);
                acc.add(x, y, p);
                int index = channels == 2 ? (y * w + x) * 2 + (p != 0 ? 0 : 1) : y * w + x;
                // a signed count that returns to 0 still names its element
                expected.merge(index, channels == 2 || p != 0 ? 1 : -1, Integer::sum);
            }
            SpikeStep s = acc.emit(step, 7L);
            assertEquals(expected.size(), s.count(), "step " + step);
            int[] indices = new int[s.count()];
            float[] values = new float[s.count()];
            int k = 0;
            for (Map.Entry<Integer, Integer> en : expected.entrySet()) {
                indices[k] = en.getKey();
                values[k++] = en.getValue();
            }
            assertArrayEquals(indices, java.util.Arrays.copyOf(s.indices(), s.count()), "step " + step);
            float[] got = new float[s.count()];
            for (int i = 0; i < s.count(); i++) {
                got[i] = s.values() == null ? 1f : s.values()[i];
            }
            assertArrayEquals(values, got, "step " + step);
        }
    }
}
