package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.encode.InputCoding;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationMethodTest {

    @Test
    void channelWiseIsASuffixOfEveryMethod() {
        CalibrationMethod m = CalibrationMethod.parse("ann-p99.9-channel");
        assertEquals(CalibrationMethod.Kind.ANN_NORM, m.kind());
        assertEquals(99.9, m.percentile());
        assertTrue(m.channelWise());
        assertEquals("ann-p99.9-channel", m.toString());
        assertEquals("ann-max-channel", CalibrationMethod.parse("ann-max-channel").toString());
        assertFalse(CalibrationMethod.parse("ann-max").channelWise());
        CalibrationMethod s = CalibrationMethod.parse("spike-norm-p99.99-channel");
        assertEquals(CalibrationMethod.Kind.SPIKE_NORM, s.kind());
        assertTrue(s.channelWise());
        assertEquals("spike-norm-p99.99-channel", s.toString());
        assertEquals("spike-norm-channel", CalibrationMethod.parse("spike-norm-channel").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationMethod.parse("norm-channel"));
        assertTrue(e.getMessage().contains("spike-norm-channel"), e.getMessage());
    }

    @Test
    void residualLayersAndTheOutputStayLayerWise() {
        SpikingTopology resnet = new SpikingTopology(TestModels.load("fmnist_resnet"));
        for (int l = 0; l < resnet.layers().size(); l++) {
            if (resnet.residualLayers().contains(l) || resnet.layers().get(l).output()) {
                assertFalse(resnet.channelWiseEligible(l), resnet.layers().get(l).name());
            }
        }
        // pre1 feeds only pre2's conv; pre2's spikes also feed the first skip connection, whose sum
        // must see both branches in one unit
        assertTrue(resnet.channelWiseEligible(resnet.indexOf("pre1")));
        assertFalse(resnet.channelWiseEligible(resnet.indexOf("pre2")));
        SpikingTopology mobilenet = new SpikingTopology(TestModels.load("pytorch/torch_mobilenet_block"));
        long eligible = java.util.stream.IntStream.range(0, mobilenet.layers().size())
                .filter(mobilenet::channelWiseEligible).count();
        assertEquals(5, eligible, "every ReLU6 layer of the MobileNet block");
    }

    @Test
    void analogInputGivesThePixelsAsCurrentsEveryStep() {
        float[] frame = {0f, 0.25f, 0f, 1f};
        List<SpikeStep> steps = InputCoding.ANALOG.encode(frame, 3, 1).collectList().block();
        assertEquals(3, steps.size());
        for (SpikeStep s : steps) {
            assertEquals(2, s.count());
            assertArrayEquals(new int[]{1, 3}, s.indices());
            assertEquals(0.25f, s.valueAt(0));
            assertEquals(1f, s.valueAt(1));
        }
        assertTrue(steps.get(0).reset() && !steps.get(1).reset());
        assertEquals(InputCoding.ANALOG, InputCoding.parse("analog"));
        assertThrows(IllegalArgumentException.class, () -> InputCoding.parse("rate"));
    }
}
