package io.spikeflux.engine.onnx;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxImporterTest {

    @Test
    void importsLenetWithShapesMetadataAndClassNames() {
        Network net = TestModels.load("fmnist_lenet");
        assertEquals(new TensorShape(28, 28, 1), net.inputShape());
        assertEquals("T-shirt/top", net.classNames().get(0));
        assertEquals("Ankle boot", net.classNames().get(9));
        assertEquals("0.8828", net.metadata().get("ann_test_accuracy"));
        assertEquals(206_736, net.parameters(), "parameter count from the models README");
        assertEquals(new TensorShape(28, 28, 16), net.nodes().get(0).shape());
        assertTrue(net.nodes().get(0).operator() instanceof Conv2d);
        assertEquals(10, net.classCount());
        assertFalse(net.isEventModel());
        assertTrue(TestModels.load("nmnist_cnn").isEventModel());
    }

    @Test
    void parameterCountsMatchTheModelCards() {
        assertEquals(583_456, TestModels.load("fmnist_vgg").parameters());
        assertEquals(176_144, TestModels.load("fmnist_resnet").parameters());
        assertEquals(155_680, TestModels.load("nmnist_cnn").parameters());
    }

    @Test
    void unsupportedOperatorNamesNodeOperatorAndSupportedSet() {
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importFile(Path.of("src/test/resources/onnx/unsupported_sigmoid.onnx")));
        assertTrue(e.getMessage().contains("node 'squash' (Sigmoid)"), e.getMessage());
        assertTrue(e.getMessage().contains("supported operators: Conv, ") && e.getMessage().contains("use nn.ReLU"), e.getMessage());
    }

    @Test
    void truncatedFileGetsOneLineError(@TempDir Path tmp) throws Exception {
        byte[] full = Files.readAllBytes(TestModels.path("fmnist_lenet"));
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importFile(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void notOnnxIsRejected(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("readme.onnx");
        Files.writeString(text, "this is not a model\n");
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importFile(text));
        assertTrue(e.getMessage().contains("ONNX"), e.getMessage());
        assertThrows(OnnxImportException.class, () -> OnnxImporter.importFile(tmp.resolve("missing.onnx")));
    }

    @Test
    void batchNormFoldsThroughIdentityAndDropoutOnlyWhenNothingElseUsesTheConvOutput() {
        var folded = OnnxImporter.importFile(Path.of("src/test/resources/onnx/aliases_before_bn.onnx"));
        assertEquals("Conv+BatchNormalization", folded.nodes().get(0).onnxOp(), "the BN became part of the conv");
        // the same conv output also feeds a residual Add: folding would change that branch, whatever
        // order the importer happens to meet the names in
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importFile(Path.of("src/test/resources/onnx/shared_conv_output.onnx")));
        assertTrue(e.getMessage().contains("node 'bn' (BatchNormalization)") && e.getMessage().contains("used elsewhere"),
                e.getMessage());
    }

    private static Network fixture(String name) {
        return OnnxImporter.importFile(Path.of("src/test/resources/onnx/" + name + ".onnx"));
    }

    private static java.util.List<String> operators(Network net) {
        return net.nodes().stream().map(n -> n.onnxOp() + ":" + n.operator().describe()).toList();
    }

    @Test
    void groupedAndDepthwiseConvolutionsWithClippedRelus() {
        Network net = fixture("grouped_clip");
        assertEquals(java.util.List.of("Conv:Conv g2 3x3/1 +bias", "Clip:Relu (cap 6.0)",
                "Conv+BatchNormalization:DepthwiseConv 3x3/2 +bias", "Clip:Relu (cap 1.5)", "Conv:Conv g4 1x1/1",
                "Relu:Relu", "GlobalAveragePool:GlobalAveragePool", "Gemm:Dense +bias"), operators(net));
        // pads [1,1,0,0] on 10x10 with stride 2: (10 + 1 - 3) / 2 + 1 = 5
        assertEquals(new TensorShape(5, 5, 8), net.nodes().get(2).shape());
    }

    @Test
    void normalisationAndPaddingFoldAwayAndTheReluMovesBeforeTheMaxPool() {
        Network net = fixture("normalised_pad_maxpool");
        // Sub, Div, Pad, the shape computation and the LogSoftmax leave no node behind; the ReLU
        // that followed the first max pool now precedes it, so the pool gates spikes
        assertEquals(java.util.List.of("Sub+Div+Pad+Conv:Conv 3x3/1 +bias", "Relu:Relu", "MaxPool:MaxPool 3x3/2",
                "MaxPool:MaxPool 2x2/2", "Reshape:Flatten", "Gemm+LogSoftmax(dropped):Dense +bias"), operators(net));
        assertEquals(new TensorShape(14, 14, 6), net.nodes().get(0).shape(), "Pad and Conv pads added up");
        assertEquals(new TensorShape(8, 8, 6), net.nodes().get(2).shape(), "ceil mode adds a partial window");
        assertEquals(5, net.classCount());
        new io.spikeflux.engine.snn.SpikingTopology(net); // both pools read spikes
    }

    @Test
    void kerasLayoutAtOpset21ImportsChannelLastAsIs() {
        Network net = fixture("nhwc_opset21");
        assertEquals(new TensorShape(8, 8, 3), net.inputShape());
        assertEquals(java.util.List.of("Conv:Conv 3x3/1 +bias", "Relu:Relu", "Pad+AveragePool:AveragePool 3x3/3",
                "Reshape:Flatten", "MatMul+Add:Dense +bias"), operators(net));
    }

    @Test
    void torch2AveragePoolPadsFoldIntoThePoolAndCountInTheDivisor() {
        Network net = fixture("torch2_avgpool_pad");
        assertEquals(java.util.List.of("Conv:Conv 3x3/1", "Relu:Relu", "AveragePool:AveragePool 2x2/2",
                "Pad+AveragePool:AveragePool 3x3/2", "Flatten:Flatten", "Gemm:Dense"), operators(net));
        assertEquals(new TensorShape(2, 2, 3), net.nodes().get(3).shape());
    }

    @Test
    void batchNormAfterTheReluMovesThroughTheMaxPoolIntoTheNextLayer() {
        Network net = fixture("bn_after_relu");
        assertEquals(java.util.List.of("Conv:Conv 3x3/1 +bias", "Relu:Relu", "MaxPool:MaxPool 2x2/2",
                "BatchNormalization+Conv:Conv 3x3/1 +bias", "Relu:Relu", "GlobalAveragePool:GlobalAveragePool",
                "MatMul+Add:Dense +bias", "Relu:Relu", "BatchNormalization+MatMul:Dense +bias"), operators(net));
        new io.spikeflux.engine.snn.SpikingTopology(net); // the max pool still gates spikes
    }

    @Test
    void globalMaxPoolIsOneWindowOverTheMapAndAFloatCastIsANoOp() {
        Network net = fixture("global_max_pool");
        assertEquals(java.util.List.of("Conv:Conv 3x3/1", "Relu:Relu", "GlobalMaxPool:MaxPool 6x6/1",
                "GlobalMaxPool:Flatten", "Gemm:Dense"), operators(net));
        new io.spikeflux.engine.snn.SpikingTopology(net);
    }

    @Test
    void everyUnconvertibleNodeIsListedWithAdvice() {
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importFile(TestModels.path("pytorch/torch_unsupported")));
        String m = e.getMessage();
        assertTrue(m.contains("3 nodes cannot be converted"), m);
        assertTrue(m.contains("(Sigmoid): operator 'Sigmoid' is not supported: an integrate-and-fire neuron's rate is a "
                + "ReLU; use nn.ReLU"), m);
        assertTrue(m.contains("(LeakyRelu): operator 'LeakyRelu' is not supported: negative activations"), m);
        assertTrue(m.contains("(Tanh)"), m);
        assertTrue(m.contains("supported operators: "), m);
    }

    @Test
    void aSoftmaxInsideTheNetworkOrAnOpsetOutOfRangeIsRefused() throws Exception {
        var model = io.spikeflux.proto.onnx.Onnx.ModelProto.parseFrom(
                Files.readAllBytes(Path.of("src/test/resources/onnx/normalised_mlp.onnx")));
        var future = model.toBuilder();
        future.getOpsetImportBuilder(0).setVersion(30);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importBytes(future.build().toByteArray(), "future"));
        assertTrue(e.getMessage().contains("opset 30 is outside the supported 7 to 21"), e.getMessage());
        var inner = model.toBuilder();
        var graph = inner.getGraphBuilder();
        // softmax on the normalised input, before the dense layer
        graph.addNode(0, io.spikeflux.proto.onnx.Onnx.NodeProto.newBuilder().setOpType("Softmax").setName("early")
                .addInput("input").addOutput("soft"));
        graph.getNodeBuilder(1).setInput(0, "soft");
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(inner.build().toByteArray(), "x"));
        assertTrue(e.getMessage().contains("node 'early' (Softmax): Softmax inside the network has no spiking form"),
                e.getMessage());
    }

    @Test
    void nonFiniteWeightsBadWindowsAndHugeInputsAreRefusedByName() throws Exception {
        var model = io.spikeflux.proto.onnx.Onnx.ModelProto.parseFrom(
                Files.readAllBytes(Path.of("src/test/resources/onnx/extra_ops.onnx")));
        var nan = model.toBuilder();
        var w1 = nan.getGraphBuilder().getInitializerBuilderList().stream().filter(t -> t.getName().equals("w1")).findFirst()
                .orElseThrow();
        byte[] raw = w1.getRawData().toByteArray();
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(8, Float.NaN);
        w1.setRawData(com.google.protobuf.ByteString.copyFrom(raw));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importBytes(nan.build().toByteArray(), "nan"));
        assertTrue(e.getMessage().contains("node 'conv1' (Conv)") && e.getMessage().contains("tensor 'w1' holds NaN at element 2"),
                e.getMessage());

        var zero = model.toBuilder();
        var pool = zero.getGraphBuilder().getNodeBuilderList().stream().filter(n -> n.getName().equals("pool1")).findFirst()
                .orElseThrow();
        for (var a : pool.getAttributeBuilderList()) {
            if (a.getName().equals("kernel_shape")) {
                a.clearInts().addInts(0).addInts(0);
            }
        }
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(zero.build().toByteArray(), "zero"));
        assertTrue(e.getMessage().contains("node 'pool1' (AveragePool): kernel_shape [0, 0] is not a valid window"),
                e.getMessage());

        var huge = model.toBuilder();
        huge.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2)
                .setDimValue((1L << 32) + 9);
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(huge.build().toByteArray(), "huge"));
        assertTrue(e.getMessage().contains("dimension 2 is 4294967305, beyond the supported 65536"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        var inf = model.toBuilder();
        var w1inf = inf.getGraphBuilder().getInitializerBuilderList().stream().filter(t -> t.getName().equals("w1"))
                .findFirst().orElseThrow();
        byte[] rawInf = w1inf.getRawData().toByteArray();
        java.nio.ByteBuffer.wrap(rawInf).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NEGATIVE_INFINITY);
        w1inf.setRawData(com.google.protobuf.ByteString.copyFrom(rawInf));
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(inf.build().toByteArray(), "inf"));
        assertTrue(e.getMessage().contains("tensor 'w1' holds -Infinity at element 1"), e.getMessage());

        // stride 0 with SAME padding divided by zero; 2^32 + 1 was narrowed to a stride of 1
        for (long stride : new long[]{0, (1L << 32) + 1}) {
            var strided = model.toBuilder();
            var conv = strided.getGraphBuilder().getNodeBuilderList().stream().filter(n -> n.getName().equals("conv1"))
                    .findFirst().orElseThrow();
            var kept = conv.getAttributeList().stream()
                    .filter(a -> !List.of("pads", "strides", "auto_pad").contains(a.getName())).toList();
            conv.clearAttribute().addAllAttribute(kept);
            conv.addAttribute(io.spikeflux.proto.onnx.Onnx.AttributeProto.newBuilder().setName("auto_pad")
                    .setType(io.spikeflux.proto.onnx.Onnx.AttributeProto.AttributeType.STRING)
                    .setS(com.google.protobuf.ByteString.copyFromUtf8("SAME_UPPER")));
            conv.addAttribute(io.spikeflux.proto.onnx.Onnx.AttributeProto.newBuilder().setName("strides")
                    .setType(io.spikeflux.proto.onnx.Onnx.AttributeProto.AttributeType.INTS).addInts(stride).addInts(stride));
            e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(strided.build().toByteArray(), "s"));
            assertTrue(e.getMessage().contains("node 'conv1' (Conv): strides [" + stride + ", " + stride + "] must be from 1 to 32768"),
                    e.getMessage());
        }

        var orphan = model.toBuilder();
        var relu = orphan.getGraphBuilder().getNodeBuilderList().stream().filter(n -> n.getOpType().equals("Relu"))
                .findFirst().orElseThrow();
        String reluName = relu.getName();
        relu.clearInput();
        e = assertThrows(OnnxImportException.class, () -> OnnxImporter.importBytes(orphan.build().toByteArray(), "orphan"));
        assertTrue(e.getMessage().contains("node '" + reluName + "' (Relu)") && e.getMessage().contains("input"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void aNodeWithoutAnOutputIsRefusedByName() throws Exception {
        // CI's fuzzer found it: the input's only consumer had no output, and the NHWC check read it
        var model = io.spikeflux.proto.onnx.Onnx.ModelProto.parseFrom(
                Files.readAllBytes(Path.of("src/test/resources/onnx/extra_ops.onnx")));
        var broken = model.toBuilder();
        broken.getGraphBuilder().getNodeBuilder(0).clearOutput();
        String first = model.getGraph().getNode(0).getName();
        String op = model.getGraph().getNode(0).getOpType();
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importBytes(broken.build().toByteArray(), "broken"));
        assertEquals("node '" + first + "' (" + op + ") has no output", e.getMessage());
    }

    @Test
    void aWeightWithANegativeDimensionIsRefusedByName() throws Exception {
        var model = io.spikeflux.proto.onnx.Onnx.ModelProto.parseFrom(
                Files.readAllBytes(Path.of("src/test/resources/onnx/extra_ops.onnx")));
        var broken = model.toBuilder();
        var w1 = broken.getGraphBuilder().getInitializerBuilderList().stream().filter(t -> t.getName().equals("w1"))
                .findFirst().orElseThrow();
        w1.setDims(0, -1);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.importBytes(broken.build().toByteArray(), "broken"));
        assertTrue(e.getMessage().startsWith("tensor 'w1' has dimensions [-1, "), e.getMessage());
    }

    @Test
    void aMaxPoolOverCurrentsImportsAsAnAnnButHasNoSpikingForm() throws Exception {
        // found by fuzzing: the global max pool fixture with the ReLU before its pool gone
        byte[] model = Files.readAllBytes(Path.of(
                "src/test/resources/io/spikeflux/engine/fuzz/ModelFuzzTestInputs/onnxModels/max_pool_over_currents_onnx"));
        Network net = OnnxImporter.importBytes(model, "fuzzed");
        var e = assertThrows(io.spikeflux.engine.snn.NoSpikingFormException.class,
                () -> new io.spikeflux.engine.snn.SpikingTopology(net));
        assertTrue(e.getMessage().matches("max pooling node '.+' pools currents, not spikes: "
                + "a spiking max pool needs a ReLU right before it"), e.getMessage());
    }
}
