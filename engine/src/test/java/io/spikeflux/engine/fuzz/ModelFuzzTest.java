package io.spikeflux.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImportException;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.NoSpikingFormException;
import io.spikeflux.engine.snn.SpikingTopology;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile models: mutated ONNX files into the importer and mutated calibrated models into the
 * loader. Every outcome must be a model, or the importer's or loader's own error (which names the
 * file, node or layer), or for a valid ANN the conversion's refusal naming its node; any other
 * exception, a hang or running out of memory is a finding. Seeds are the small test fixtures and
 * a small calibrated model (files below {@code ModelFuzzTestInputs/}).
 */
class ModelFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void onnxModels(byte[] data) {
        Network net;
        try {
            net = OnnxImporter.importBytes(data, "fuzz");
        } catch (OnnxImportException expected) {
            return; // one named error
        }
        try {
            new SpikingTopology(net);
        } catch (NoSpikingFormException expected) {
            // a valid ANN without a spiking form: the error names the node
            if (!expected.getMessage().contains("node '")) {
                throw new AssertionError("conversion error without the node: " + expected.getMessage(), expected);
            }
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
