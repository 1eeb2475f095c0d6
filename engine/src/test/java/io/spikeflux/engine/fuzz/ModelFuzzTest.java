package io.spikeflux.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImportException;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.SpikingTopology;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile models: mutated ONNX files into the importer and mutated calibrated models into the
 * loader. Every outcome must be a model, or the importer's or loader's own error (which names the
 * file, node or layer); any other exception, a hang or running out of memory is a finding. Seeds
 * are the small test fixtures and a small calibrated model (files below {@code ModelFuzzTestInputs/}).
 */
class ModelFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void onnxModels(byte[] data) {
        try {
            Network net = OnnxImporter.importBytes(data, "fuzz");
            new SpikingTopology(net);
        } catch (OnnxImportException expected) {
            // one named error
        }
    }

    @FuzzTest(maxDuration = "20s")
    void calibratedModels(byte[] data) throws Exception {
        Path file = Files.createTempFile("fuzz", ".snn");
        try {
            Files.write(file, data);
            CalibratedModel.load(file);
        } catch (IllegalArgumentException | UncheckedIOException expected) {
            // the loader's errors name the file and what is wrong
            if (!expected.getMessage().startsWith(file.toString())) {
                throw new AssertionError("error without the file's name: " + expected.getMessage(), expected);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
