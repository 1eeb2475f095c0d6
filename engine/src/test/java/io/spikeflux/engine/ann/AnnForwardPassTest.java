package io.spikeflux.engine.ann;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.engine.onnx.OnnxImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SpikeFlux's float forward pass against onnxruntime, the reference implementation of ONNX. */
class AnnForwardPassTest {

    private static OrtEnvironment env;

    @BeforeAll
    static void start() {
        env = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** Fixtures made by src/test/resources/onnx/make_extra_models.py. */
    private static final List<String> FIXTURES = List.of("extra_ops", "aliases_before_bn", "grouped_clip",
            "normalised_pad_maxpool", "normalised_mlp", "nhwc_opset21", "torch2_avgpool_pad", "bn_after_relu", "global_max_pool", "bn1d_after_flatten", "one_by_one_map", "keras_rescaling", "bn_after_relu");
    /** Models whose output operator SpikeFlux drops (the argmax is the same): applied to ours to compare. */
    private static final Map<String, String> DROPPED_OUTPUT = Map.of("normalised_pad_maxpool", "LogSoftmax",
            "torch_mnist_example", "LogSoftmax", "torch_maxpool_first", "Softmax");

    @ParameterizedTest
    @ValueSource(strings = {"fmnist_lenet", "fmnist_vgg", "fmnist_resnet", "nmnist_cnn", "nfmnist_cnn", "extra_ops",
            "aliases_before_bn", "grouped_clip", "normalised_pad_maxpool", "normalised_mlp", "nhwc_opset21", "torch2_avgpool_pad", "bn_after_relu", "global_max_pool", "bn1d_after_flatten", "one_by_one_map", "keras_rescaling",
            "pytorch/torch_mnist_example", "pytorch/torch_bn_normalised", "pytorch/torch_sequential_lenet",
            "pytorch/torch_maxpool_first", "pytorch/torch_mobilenet_block", "pytorch/torch_bn_normalised_opset17",
            "pytorch/torch_sequential_lenet_opset9"})
    void matchesOnnxRuntimeOnRandomAndRealInputs(String model) throws Exception {
        Path file = FIXTURES.contains(model) ? Path.of("src/test/resources/onnx/" + model + ".onnx")
                : TestModels.path(model);
        model = file.getFileName().toString().replace(".onnx", "");
        Network net = OnnxImporter.importFile(file);
        TensorShape s = net.inputShape();
        List<float[]> inputsNchw = new ArrayList<>();
        Random random = new Random(42);
        for (int k = 0; k < 4; k++) {
            float[] x = new float[s.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = k == 3 ? (float) random.nextGaussian() : random.nextFloat() * (net.isEventModel() ? 0.2f : 1f);
            }
            inputsNchw.add(x);
        }
        if (model.startsWith("fmnist") || model.startsWith("torch_")) {
            Dataset real = TestModels.fashionTest(6);
            for (int i = 0; i < real.size(); i++) {
                inputsNchw.add(real.get(i).annInput()); // one channel: NCHW == channel-last
            }
        } else if (model.startsWith("nmnist")) {
            Dataset real = TestModels.nmnistEmu().limit(6);
            for (int i = 0; i < real.size(); i++) {
                inputsNchw.add(toNchw(real.get(i).annInput(), s));
            }
        }
        AnnForwardPass ann = new AnnForwardPass(net);
        // onnxruntime's own graph rewrites are off: in 1.20 its Pad fusion folds a Pad into an
        // AveragePool without counting the padded zeros (microsoft/onnxruntime#22177, fixed by
        // #23190 in 1.21), which changes what torch 2.x's AvgPool2d exports compute
        OrtSession.SessionOptions unoptimised = new OrtSession.SessionOptions();
        unoptimised.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        try (unoptimised; OrtSession session = env.createSession(file.toString(), unoptimised)) {
            String inputName = session.getInputNames().iterator().next();
            long[] declared = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
            boolean nhwc = declared.length == 4 && declared[3] == s.channels() && declared[1] == s.height()
                    && s.channels() != s.height();
            for (float[] x : inputsNchw) {
                long[] shape = s.isFlat() ? new long[]{1, s.channels()}
                        : nhwc ? new long[]{1, s.height(), s.width(), s.channels()}
                        : new long[]{1, s.channels(), s.height(), s.width()};
                float[] expected;
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                     OrtSession.Result r = session.run(Map.of(inputName, t))) {
                    expected = ((float[][]) r.get(0).getValue())[0];
                }
                float[] actual = ann.run(nhwc ? x : TestModels.toChannelLast(x, s.channels(), s.height(), s.width()));
                actual = applyDroppedOutput(DROPPED_OUTPUT.get(model), actual.clone());
                assertEquals(expected.length, actual.length);
                double maxDiff = 0;
                for (int i = 0; i < expected.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(maxDiff <= 1e-4, model + ": max abs difference " + maxDiff + " exceeds 1e-4");
            }
        }
    }

    private static float[] applyDroppedOutput(String op, float[] logits) {
        if (op == null) {
            return logits;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (op.equals("Softmax") ? Math.exp(logits[i] - max) / sum : logits[i] - max - Math.log(sum));
        }
        return logits;
    }

    private static float[] toNchw(float[] channelLast, TensorShape s) {
        float[] out = new float[channelLast.length];
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    out[(c * s.height() + y) * s.width() + x] = channelLast[(y * s.width() + x) * s.channels() + c];
                }
            }
        }
        return out;
    }
}
