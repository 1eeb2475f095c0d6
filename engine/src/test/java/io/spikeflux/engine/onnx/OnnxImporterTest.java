package io.spikeflux.engine.onnx;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
        assertTrue(e.getMessage().contains("Conv, Relu, AveragePool"), e.getMessage());
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
}
