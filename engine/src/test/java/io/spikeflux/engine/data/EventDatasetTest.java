package io.spikeflux.engine.data;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.sensor.InputFit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventDatasetTest {

    /** A one-channel model sees each pixel's ON minus OFF events: what the live binner feeds it. */
    @Test
    void oneChannelInputsAreSignedCountsOfTheTwoChannels() {
        EventDataset two = EventDataset.load(TestModels.NMNIST_EMU, 34, 34, 2, 1000, 300, null, InputFit.DEFAULT);
        EventDataset one = EventDataset.load(TestModels.NMNIST_EMU, 34, 34, 1, 1000, 300, null, InputFit.DEFAULT);
        int steps = 0;
        for (int s = 0; s < 4; s++) {
            List<SpikeStep> a = two.get(s).steps(300, 1).collectList().block();
            List<SpikeStep> b = one.get(s).steps(300, 1).collectList().block();
            assertEquals(a.size(), b.size());
            for (int t = 0; t < a.size(); t++) {
                float[] expected = new float[34 * 34];
                for (int k = 0; k < a.get(t).count(); k++) {
                    int i = a.get(t).indices()[k];
                    expected[i / 2] += i % 2 == 0 ? a.get(t).valueAt(k) : -a.get(t).valueAt(k);
                }
                float[] actual = new float[34 * 34];
                b.get(t).addTo(actual, new int[34 * 34]);
                assertArrayEquals(expected, actual, "sample " + s + " step " + t);
                steps += a.get(t).count() > 0 ? 1 : 0;
            }
            float[] annTwo = two.get(s).annInput();
            float[] annOne = one.get(s).annInput();
            assertEquals(34 * 34, annOne.length);
            for (int p = 0; p < annOne.length; p++) {
                assertEquals(annTwo[2 * p] - annTwo[2 * p + 1], annOne[p], 1e-4f, "sample " + s + " pixel " + p);
            }
        }
        assertTrue(steps > 100, "the samples have events: " + steps);
    }

    @Test
    void otherChannelCountsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventDataset.load(TestModels.NMNIST_EMU, 34, 34, 3, 1000, 300, null, InputFit.DEFAULT));
        assertTrue(e.getMessage().contains("not 3"), e.getMessage());
    }
}
