package io.spikeflux.cli;

import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.LayerStatistics;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.SpikingTopology;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Set the firing thresholds of the converted SNN (ANN-norm or SPIKE-NORM) and write a .snn model.")
final class CalibrateCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx")
    Path model;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Mixin
    CalibrationOptions calibration = new CalibrationOptions();

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", required = true, paramLabel = "M.snn", description = "Calibrated model to write.")
    Path out;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the thresholds and provenance as JSON to FILE, or to stdout with - (the text then goes "
                    + "to stderr).")
    JsonTarget json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        dataset.modelFile = model;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": cannot read: " + e.getMessage(), e);
        }
        CalibrationSettings s = calibration.settings(threads);
        int dtUs = calibration.dtUs();
        // a calibration can take minutes: find out now that its result could not be written
        Path dir = out.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent(); // the model's directories are made when it is saved
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir) || Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out
                    + ": cannot write there (not a writable directory, or a directory itself)");
        }
        Network net = OnnxImporter.importFile(model);
        SpikingTopology topology = new SpikingTopology(net);
        // The paper calibrates on training images; IDX directories have them as the "train" split.
        Dataset data = dataset.load(net, dtUs, "train", s.samples());
        java.io.PrintStream text = JsonTarget.text(json);
        text.printf("calibrating %s with %s on %s, reset %s%n", net.name(), s.method(), data.description(),
                s.reset().cliName());
        Calibration c = CalibrationOptions.run(topology, data, s, progress);
        print(c, text);
        CalibratedModel.of(bytes, net, topology, c, dtUs, data.description(), dataset.coding()).save(out);
        text.printf("wrote %s (%.1f s)%n", out, c.wallSeconds());
        if (json != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", net.name());
            r.put("out", out.toString());
            r.put("dt_us", dtUs);
            r.put("reset", s.reset().cliName());
            r.put("calibration", EvaluateCommand.provenance(c, data.description()));
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerStatistics l : c.layers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("layer", l.layer());
                m.put("lambda", l.lambda());
                m.put("threshold", l.threshold());
                m.put("rule", l.rule());
                layers.add(m);
            }
            r.put("layers", layers);
            json.write(r);
        }
    }

    static void print(Calibration c, java.io.PrintStream out) {
        out.printf("%-16s %12s %12s  %s%n", "layer", "lambda", "threshold", "rule");
        for (LayerStatistics l : c.layers()) {
            out.printf("%-16s %12.5g %12.5g  %s%n", l.layer(), l.lambda(), l.threshold(), l.rule());
        }
    }
}
