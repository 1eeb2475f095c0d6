package io.spikeflux.engine.model;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibratedModelTest {

    @Test
    void savesAndLoadsThresholdsResetBiasScalesAndProvenance(@TempDir Path tmp) throws Exception {
        Path onnx = Path.of("src/test/resources/onnx/extra_ops.onnx");
        Network net = OnnxImporter.importFile(onnx);
        SpikingTopology topo = new SpikingTopology(net);
        var data = new io.spikeflux.engine.data.Dataset() {
            final java.util.Random r = new java.util.Random(1);

            @Override
            public String description() {
                return "random";
            }

            @Override
            public int size() {
                return 16;
            }

            @Override
            public io.spikeflux.engine.data.Sample get(int index) {
                float[] x = new float[net.inputShape().size()];
                java.util.Random rr = new java.util.Random(index);
                for (int i = 0; i < x.length; i++) {
                    x[i] = rr.nextFloat();
                }
                return new io.spikeflux.engine.data.Sample() {
                    public int label() {
                        return 0;
                    }

                    public float[] annInput() {
                        return x;
                    }

                    public reactor.core.publisher.Flux<io.spikeflux.engine.encode.SpikeStep> steps(int t, long seed) {
                        return io.spikeflux.engine.encode.PoissonEncoder.encode(x, t, seed);
                    }
                };
            }
        };
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse("ann-p99.9"), ResetMode.SUBTRACT, 16, 0, 4,
                ResidualMode.PAPER, 0.5f, 1);
        Calibration c = Calibrator.run(topo, data, s, ProgressListener.NONE);
        Path file = tmp.resolve("m.snn");
        CalibratedModel.of(Files.readAllBytes(onnx), net, topo, c, 1000, "random").save(file);

        CalibratedModel loaded = CalibratedModel.load(file);
        assertArrayEquals(c.parameters().thresholds(), loaded.parameters().thresholds());
        assertArrayEquals(c.parameters().biasScale(), loaded.parameters().biasScale());
        assertEquals(ResetMode.SUBTRACT, loaded.parameters().reset());
        assertEquals(0.5f, loaded.parameters().initialFraction());
        assertEquals("ann-p99.9", loaded.calibration().getMethod());
        assertEquals(99.9, loaded.calibration().getPercentile(), 1e-9);
        assertEquals(16, loaded.calibration().getSamples());
        float[] scales = loaded.parameters().biasScale();
        assertEquals(1f, scales[0], "conv1 reads the input, whose lambda is 1");
        int fc1 = -1;
        for (int i = 0; i < net.nodes().size(); i++) {
            if (net.nodes().get(i).name().equals("fc1")) {
                fc1 = i;
            }
        }
        float lambdaRelu2 = c.layers().get(1).lambda();
        assertEquals(1f / lambdaRelu2, scales[fc1], 1e-6f, "fc1's bias behind relu2 is divided by its lambda");
    }

    @Test
    void rejectsFilesThatAreNotModels(@TempDir Path tmp) throws Exception {
        Path onnx = TestModels.path("fmnist_lenet");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibratedModel.load(onnx));
        assertTrue(e.getMessage().contains("not a SpikeFlux calibrated model"), e.getMessage());
    }
}
