package io.spikeflux.cli;

import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.LayerStatistics;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.SpikingTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Set the firing thresholds of the converted SNN (ANN-norm or SPIKE-NORM) and write a .snn model.")
final class CalibrateCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx")
    Path model;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Mixin
    CalibrationOptions calibration = new CalibrationOptions();

    @Option(names = "--dt-us", defaultValue = "1000", description = "Event models: time step in µs of sensor time (default ${DEFAULT-VALUE}).")
    int dtUs;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", required = true, paramLabel = "M.snn", description = "Calibrated model to write.")
    Path out;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    @Override
    public void run() {
        dataset.modelFile = model;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": cannot read: " + e.getMessage(), e);
        }
        Network net = OnnxImporter.importFile(model);
        SpikingTopology topology = new SpikingTopology(net);
        CalibrationSettings s = calibration.settings(threads);
        // The paper calibrates on training images; IDX directories have them as the "train" split.
        Dataset data = dataset.load(net, dtUs, "train", s.samples());
        System.out.printf("calibrating %s with %s on %s, reset %s%n", net.name(), s.method(), data.description(),
                s.reset().cliName());
        Calibration c = CalibrationOptions.run(topology, data, s, progress);
        print(c, System.out);
        CalibratedModel.of(bytes, net, topology, c, dtUs, data.description(), dataset.coding()).save(out);
        System.out.printf("wrote %s (%.1f s)%n", out, c.wallSeconds());
    }

    static void print(Calibration c, java.io.PrintStream out) {
        out.printf("%-16s %12s %12s  %s%n", "layer", "lambda", "threshold", "rule");
        for (LayerStatistics l : c.layers()) {
            out.printf("%-16s %12.5g %12.5g  %s%n", l.layer(), l.lambda(), l.threshold(), l.rule());
        }
    }
}
