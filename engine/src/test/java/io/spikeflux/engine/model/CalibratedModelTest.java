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

    @Test
    void channelWiseScalesRoundTripAndTheSimulationRunsTheSameFromTheFile(@TempDir Path tmp) throws Exception {
        Path onnx = Path.of("src/test/resources/onnx/grouped_clip.onnx");
        Network net = OnnxImporter.importFile(onnx);
        SpikingTopology topo = new SpikingTopology(net);
        java.util.List<float[]> inputs = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int k = 0; k < 24; k++) {
            float[] x = new float[net.inputShape().size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            inputs.add(x);
        }
        var dataset = new io.spikeflux.engine.data.Dataset() {
            public String description() {
                return "random";
            }

            public int size() {
                return inputs.size();
            }

            public io.spikeflux.engine.data.Sample get(int index) {
                float[] x = inputs.get(index);
                return new io.spikeflux.engine.data.Sample() {
                    public int label() {
                        return index % 5;
                    }

                    public float[] annInput() {
                        return x;
                    }

                    public reactor.core.publisher.Flux<io.spikeflux.engine.encode.SpikeStep> steps(int t, long seed) {
                        return io.spikeflux.engine.encode.InputCoding.ANALOG.encode(x, t, seed);
                    }
                };
            }
        };
        CalibrationSettings s = new CalibrationSettings(CalibrationMethod.parse("ann-p99.9-channel"), ResetMode.SUBTRACT,
                dataset.size(), 0, 1, ResidualMode.PAPER, 0f, 1);
        Calibration c = Calibrator.run(topo, dataset, s, ProgressListener.NONE);
        for (int l = 0; l < 3; l++) {
            assertTrue(topo.channelWiseEligible(l), "hidden layer " + l);
            assertEquals(net.shapeOf(topo.layers().get(l).inputValue()).channels(), c.parameters().channelScale(l).length);
        }
        assertEquals(null, c.parameters().channelScale(3), "the output layer stays layer-wise: one scale for the argmax");
        Path file = tmp.resolve("cw.snn");
        CalibratedModel.of(Files.readAllBytes(onnx), net, topo, c, 1000, "random").save(file);
        CalibratedModel loaded = CalibratedModel.load(file);
        for (int l = 0; l < 4; l++) {
            assertArrayEquals(c.parameters().channelScale(l), loaded.parameters().channelScale(l));
        }
        assertEquals("ann-p99.9-channel", loaded.calibration().getMethod());
        var direct = io.spikeflux.engine.eval.SnnEvaluator.evaluate(topo, c.parameters(), dataset, 64, new int[]{64}, 1, 1,
                ProgressListener.NONE);
        var fromFile = io.spikeflux.engine.eval.SnnEvaluator.evaluate(loaded.topology(), loaded.parameters(), dataset, 64,
                new int[]{64}, 1, 1, ProgressListener.NONE);
        assertEquals(direct.spikesPerNeuron(), fromFile.spikesPerNeuron());
        // the channel scales change the simulation: layer-wise parameters give other spike counts
        var layerWise = io.spikeflux.engine.eval.SnnEvaluator.evaluate(topo, new io.spikeflux.engine.snn.SnnParameters(
                c.parameters().thresholds(), ResetMode.SUBTRACT, 0f, c.parameters().biasScale()), dataset, 64,
                new int[]{64}, 1, 1, ProgressListener.NONE);
        assertTrue(!direct.spikesPerNeuron().equals(layerWise.spikesPerNeuron()));
    }

    @Test
    void fieldsOutOfRangeOrContradictingTheGraphNameTheFileAndField(@TempDir Path tmp) throws Exception {
        var good = io.spikeflux.proto.SnnModel.parseFrom(Files.readAllBytes(Path.of("../models/nmnist_cnn.snn")));
        java.util.Map<String, io.spikeflux.proto.SnnModel> bad = new java.util.LinkedHashMap<>();
        bad.put("dt_us 4294967295", good.toBuilder().setDtUs(-1).build());
        bad.put("initial_membrane_fraction NaN", good.toBuilder().setInitialMembraneFraction(Float.NaN).build());
        bad.put("reset_mode 99", good.toBuilder().setResetModeValue(99).build());
        bad.put("contradicts its ONNX model's [2,34,34]", good.toBuilder().setInputWidth(35).build());
        bad.put("has threshold -1.0", good.toBuilder().setThresholds(0,
                good.getThresholds(0).toBuilder().setThreshold(-1f)).build());
        bad.put("has threshold Infinity", good.toBuilder().setThresholds(1,
                good.getThresholds(1).toBuilder().setThreshold(Float.POSITIVE_INFINITY)).build());
        for (var e : bad.entrySet()) {
            Path f = tmp.resolve("bad.snn");
            Files.write(f, e.getValue().toByteArray());
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> CalibratedModel.load(f));
            assertTrue(x.getMessage().startsWith(f.toString()) && x.getMessage().contains(e.getKey()), x.getMessage());
        }
    }
}
