package io.spikeflux.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them: output, JSON reports, exit codes and one-line errors. */
class CommandLineTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            CommandLine cl = SpikeFlux.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void inspectAndAnnEvalTakeACalibratedModel() throws Exception {
        Run r = run("inspect", "--model", "../models/nmnist_cnn.snn", "--json", "-");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals("ann-p99.9", j.get("calibration").get("method").asText());
        assertEquals(5, j.get("calibration").get("thresholds").size(), "a threshold per IF layer");
        assertTrue(r.err().contains("calibrated ann-p99.9") && r.err().contains("threshold"), r.err());
        // an event model's default data are the bundled recordings (found from spikeflux.home, as ./spikeflux sets it)
        String home = System.getProperty("spikeflux.home");
        System.setProperty("spikeflux.home", "..");
        try {
            Run a = run("ann-eval", "--model", "../models/nmnist_cnn.snn", "--limit", "20");
            assertEquals(0, a.exit(), a.err());
            assertTrue(a.err().contains("data/nmnist-emu"), a.err());
        } finally {
            if (home == null) {
                System.clearProperty("spikeflux.home");
            } else {
                System.setProperty("spikeflux.home", home);
            }
        }
    }

    @Test
    void fleetOptionsOutOfRangeAreUsageErrors() {
        Run r = run("live", "--model", "../models/nmnist_cnn.snn", "--pipeline", "0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("stage groups must be positive"), r.err());
    }

    @Test
    void kafkaOptionsAreCheckedBeforeAnythingConnects() {
        Run r = run("live", "--model", "../models/nmnist_cnn.snn", "--kafka", "127.0.0.1:1", "--connect", "127.0.0.1:7777");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--kafka reads events from Kafka"), r.err());
        Run bridge = run("bridge", "--seconds", "1");
        assertEquals(2, bridge.exit(), bridge.err());
        assertTrue(bridge.err().contains("bridge needs --kafka"), bridge.err());
    }

    @Test
    void infoPrintsGoldenValuesAsJson() throws Exception {
        Path png = Files.createTempFile("gen41", ".png");
        Run r = run("info", "--json", "-", "../io-aer/src/test/resources/events/prophesee_gen41_evt3_sample.raw",
                "--png", png.toString(), "--window-ms", "5");
        assertEquals(0, r.exit(), r.err());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth(), "an HD sensor is drawn at its own size");
        assertTrue(r.err().contains("events in the window"), r.err());
        Files.delete(png);
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals("Prophesee EVT 3.0 RAW", j.get("format").asText());
        assertEquals(1280, j.get("width").asInt());
        assertEquals(720, j.get("height").asInt());
        assertEquals(219_596, j.get("events").asLong());
        assertEquals(115_532, j.get("on_events").asLong());
        assertEquals(11_718_656, j.get("first_timestamp_us").asLong());
        assertEquals(11_727_457, j.get("last_timestamp_us").asLong());
    }

    @Test
    void convertThenInfoRoundTrips(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sample.aedat3");
        Run c = run("convert", "../io-aer/src/test/resources/events/nmnist_sample.bin", out.toString());
        assertEquals(0, c.exit(), c.err());
        JsonNode j = Json.MAPPER.readTree(run("info", "--json", "-", out.toString()).out());
        assertEquals("AEDAT 3.1", j.get("format").asText());
        assertEquals(4325, j.get("events").asLong());
        assertEquals(2145, j.get("on_events").asLong());
    }

    @Test
    void inspectListsLayersAndSpikingLayers() throws Exception {
        Run r = run("inspect", "--json", "-", "--model", "../models/fmnist_resnet.onnx");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals(176_144, j.get("parameters").asLong());
        assertEquals(15, j.get("spiking_layers").size(), "14 ReLUs plus the output layer");
        java.util.List<String> keys = new java.util.ArrayList<>();
        j.get("layers").get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(java.util.List.of("name", "operator", "onnx", "output", "parameters", "macs"), keys,
                "a layer's keys in the same order every run");
    }

    @Test
    void inspectShowsWhatWasFoldedAndListsEveryUnconvertibleNode() {
        Run ok = run("inspect", "--model", "../models/pytorch/torch_bn_normalised.onnx");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("folded     Sub+Div+Conv -> /conv1/Conv"), ok.out());
        Run bad = run("inspect", "--model", "../models/pytorch/torch_unsupported.onnx");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("3 nodes cannot be converted"), bad.err());
        assertTrue(bad.err().contains("(Sigmoid)") && bad.err().contains("(LeakyRelu)") && bad.err().contains("(Tanh)")
                && bad.err().contains("use nn.ReLU"), bad.err());
    }

    @Test
    void compareEvaluatesEachMethodOnTheSameSamples(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("compare.html");
        Run r = run("compare", "--model", "../models/fmnist_lenet.onnx", "--methods",
                "ann-max,ann-p99.9-channel,ann-p99.9-channel+potential", "--correction-steps", "16",
                "--calibration-samples", "16", "--limit", "20", "--timesteps", "16", "--input", "analog", "--json", "-",
                "--report", html.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals(3, j.get("methods").size());
        assertEquals("ann-p99.9-channel+potential", j.get("methods").get(2).get("method").asText());
        assertEquals("potential", j.get("methods").get(2).get("calibration").get("correction").asText());
        assertEquals(16, j.get("methods").get(2).get("calibration").get("correction_steps").asInt());
        assertTrue(!j.get("methods").get(1).get("calibration").has("correction"), "no correction unless asked");
        assertEquals("ann-max", j.get("methods").get(0).get("method").asText());
        assertEquals("ann-p99.9-channel", j.get("methods").get(1).get("method").asText());
        assertEquals("analog", j.get("methods").get(1).get("input_coding").asText());
        assertEquals(j.get("methods").get(0).get("ann_accuracy").asDouble(), j.get("methods").get(1).get("ann_accuracy").asDouble(),
                "the same samples");
        assertTrue(j.get("methods").get(1).get("accuracy").has("16"));
        assertTrue(r.err().contains("ann-p99.9-channel") && r.err().contains("T=16"), r.err());
        // the report carries the same numbers and the calibration's provenance
        String page = Files.readString(html);
        String data = page.substring(page.indexOf("const REPORT = ") + 15, page.indexOf(";</script>", page.indexOf("const REPORT = ")));
        JsonNode report = Json.MAPPER.readTree(data);
        assertEquals(j.get("methods"), report.get("methods"));
        assertEquals(16, report.get("methods").get(0).get("calibration").get("samples").asInt());
        assertTrue(page.contains("echarts"), "the chart library is inlined");
    }

    @Test
    void aModelCalibratedOnAnalogInputIsEvaluatedOnItUnlessToldOtherwise(@TempDir Path tmp) throws Exception {
        Path snn = tmp.resolve("lenet-analog.snn");
        Run c = run("calibrate", "--model", "../models/fmnist_lenet.onnx", "--method", "ann-p99.9-channel", "--input",
                "analog", "--calibration-samples", "16", "--correction", "bias", "--correction-steps", "8", "--out",
                snn.toString());
        assertEquals(0, c.exit(), c.err());
        Run i = run("inspect", "--model", snn.toString());
        assertTrue(i.out().contains("corrected  bias, layer by layer with the SNN in the loop (8 steps per sample)"), i.out());
        Run e = run("evaluate", "--model", snn.toString(), "--limit", "10", "--timesteps", "8", "--json", "-",
                "--report", tmp.resolve("r.html").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(Files.readString(tmp.resolve("r.html")).contains("\"method\":\"ann-p99.9-channel\""),
                "the report names the saved model's calibration");
        assertEquals("analog", Json.MAPPER.readTree(e.out()).get("input_coding").asText());
        assertEquals("ann-p99.9-channel", Json.MAPPER.readTree(e.out()).get("method").asText());
        Run p = run("evaluate", "--model", snn.toString(), "--input", "poisson", "--limit", "10", "--timesteps", "8",
                "--json", "-");
        assertEquals("poisson", Json.MAPPER.readTree(p.out()).get("input_coding").asText());
    }

    @Test
    void evaluateWritesTheDocumentedJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("eval.json");
        Run r = run("evaluate", "--model", "../models/nmnist_cnn.snn", "--data", "../data/nmnist-emu", "--limit", "20",
                "--timesteps", "64", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(json.toFile());
        for (String key : new String[]{"model", "method", "reset", "timesteps", "samples", "ann_accuracy", "accuracy",
                "thresholds", "spikes_per_neuron", "synaptic_ops_per_image", "ann_macs_per_image", "wall_s", "simulation_s",
                "simulation_image_steps_per_s"}) {
            assertTrue(j.has(key), "JSON has " + key);
        }
        assertEquals(64, j.get("timesteps").asInt());
        assertEquals(20, j.get("samples").asInt());
        assertTrue(j.get("accuracy").has("64") && j.get("accuracy").has("8"));
        assertEquals("subtract", j.get("reset").asText());
        double simulation = j.get("simulation_s").asDouble();
        assertTrue(simulation > 0 && simulation <= j.get("wall_s").asDouble(), "the simulation is part of the wall time");
    }

    @Test
    void runtimeFailuresExit1WithOneLineErrors(@TempDir Path tmp) throws Exception {
        Run missing = run("inspect", "--model", tmp.resolve("nope.onnx").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no such file") && missing.err().strip().lines().count() == 1, missing.err());
        Run unsupported = run("inspect", "--model", "../engine/src/test/resources/onnx/unsupported_sigmoid.onnx");
        assertEquals(1, unsupported.exit());
        assertTrue(unsupported.err().contains("'squash' (Sigmoid)"), unsupported.err());
        java.nio.file.Files.write(tmp.resolve("x.bin"), new byte[]{1, 2, 3, 4, 5, 6, 7});
        Run truncated = run("info", tmp.resolve("x.bin").toString());
        assertEquals(1, truncated.exit());
        assertTrue(truncated.err().contains("at byte 5") && truncated.err().contains("truncated"), truncated.err());
    }

    @Test
    void liveEndsWithExitCode1WhenItCannotRun(@TempDir Path tmp) throws Exception {
        Run noModel = run("live", "--model", tmp.resolve("gone.snn").toString(), "--seconds", "1");
        assertEquals(1, noModel.exit(), noModel.err());
        assertTrue(noModel.err().contains("gone.snn") && noModel.err().strip().lines().count() == 1, noModel.err());
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Run busy = run("live", "--model", "../models/nmnist_cnn.snn", "--port", Integer.toString(taken.getLocalPort()),
                    "--seconds", "1");
            assertEquals(1, busy.exit(), "a port already bound is a failure to run: " + busy.err());
            assertTrue(busy.err().contains("spikeflux live: error:"), busy.err());
        }
    }

    @Test
    void usageErrorsExit2BeforeAnyWorkStarts() {
        Run badMethod = run("evaluate", "--model", "../models/fmnist_lenet.onnx", "--method", "magic", "--limit", "1");
        assertEquals(2, badMethod.exit());
        assertTrue(badMethod.err().contains("unknown calibration method 'magic'"), badMethod.err());
        // --timesteps is checked before the calibration of an .onnx model, which could take an hour
        long start = System.nanoTime();
        Run badSteps = run("evaluate", "--model", "../models/fmnist_lenet.onnx", "--timesteps", "0");
        assertEquals(2, badSteps.exit());
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "rejected before calibrating");
        Run badReset = run("calibrate", "--model", "../models/fmnist_lenet.onnx", "--reset", "sideways", "--out", "x.snn");
        assertEquals(2, badReset.exit());
        assertTrue(badReset.err().contains("--reset"), badReset.err());
        Run badSensor = run("listen", "--sensor", "346by260");
        assertEquals(2, badSensor.exit());
        assertTrue(badSensor.err().contains("346by260"), badSensor.err());
        for (String[] args : new String[][]{
                {"live", "--model", "../models/nmnist_cnn.snn", "--filter", "blur", "--seconds", "1"},
                {"live", "--model", "../models/nmnist_cnn.snn", "--protocol", "jaerr", "--seconds", "1"},
                {"demo", "--protocol", "aedat4-tcp"},
                {"demo", "--busy-poll-us", "-1"},
                {"live", "--model", "../models/nmnist_cnn.snn", "--busy-poll-us", "-5", "--seconds", "1"},
                {"camera"},
                {"camera", "--cameras", "0", "--emulate-images", "/nonexistent"},
                {"calibrate", "--model", "../models/fmnist_lenet.onnx", "--out", "../pom.xml/x.snn"},
                {"calibrate", "--model", "../models/fmnist_lenet.onnx", "--dt-us", "0", "--out", "x.snn"},
                {"calibrate", "--model", "../models/fmnist_lenet.onnx", "--correction", "magic", "--out", "x.snn"},
                {"evaluate", "--model", "../models/nmnist_cnn.snn", "--dt-us", "500", "--limit", "1"}}) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("Usage: spikeflux " + args[0]), r.err());
        }
        Run disagree = run("listen", "--sensor", "346x260", "--camera", "imx636", "--seconds", "1");
        assertEquals(2, disagree.exit());
        assertTrue(disagree.err().contains("--camera prophesee-gen4 (1280x720) disagree"), disagree.err());
        Run dvSize = run("bridge", "--protocol", "aedat4-tcp", "--connect", "127.0.0.1:1", "--camera", "davis346",
                "--kafka", "127.0.0.1:1");
        assertEquals(2, dvSize.exit());
        assertTrue(dvSize.err().contains("a DV stream names its own sensor"), dvSize.err());
    }

    @Test
    void calibrateWritesItsThresholdsAsJson(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("lenet.snn");
        Run r = run("calibrate", "--model", "../models/fmnist_lenet.onnx", "--method", "ann-max",
                "--calibration-samples", "4", "--out", out.toString(), "--json", "-");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals("ann-max", j.get("calibration").get("method").asText());
        assertEquals(4, j.get("layers").size(), "conv1, conv2, fc1, fc2");
        assertTrue(j.get("layers").get(0).get("threshold").asDouble() > 0);
        assertTrue(java.nio.file.Files.size(out) > 0);
        assertTrue(r.err().contains("calibrating"), "the text moved to stderr");
    }

    @Test
    void jsonOnStdoutLeavesStdoutParseable() throws Exception {
        Run r = run("evaluate", "--model", "../models/nmnist_cnn.snn", "--data", "../data/nmnist-emu", "--limit", "4",
                "--timesteps", "16", "--json", "-");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals(4, j.get("samples").asInt());
        assertTrue(r.err().contains("evaluating"), "the text report moved to stderr");
    }
}
