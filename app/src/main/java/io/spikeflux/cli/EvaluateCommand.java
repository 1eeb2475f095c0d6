package io.spikeflux.cli;

import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Correction;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;
import io.spikeflux.engine.model.Version;
import io.spikeflux.view.report.ConversionReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the SNN for T steps per sample: accuracy against time step, spikes per layer, synaptic operations, energy.")
final class EvaluateCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.snn|M.onnx",
            description = "A calibrated model, or an ONNX model calibrated first with the calibration options.")
    Path model;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Mixin
    CalibrationOptions calibration = new CalibrationOptions();

    @Option(names = "--timesteps", defaultValue = "256", description = "Steps per sample (default ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--checkpoints", split = ",", paramLabel = "T1,T2,...",
            description = "Steps at which accuracy is reported (default 8,16,32,... and T).")
    int[] checkpoints;

    @Option(names = "--eval-seed", defaultValue = "7", description = "Poisson seed of the evaluation (default ${DEFAULT-VALUE}).")
    long evalSeed;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
            description = "Split each sample stream's layer stages into N groups, each on its own thread "
                    + "(default ${DEFAULT-VALUE}); results are identical for every N.")
    int pipeline;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the report as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write a self-contained HTML report (charts of accuracy against time step, spikes per "
                    + "layer, synaptic operations, energy, thresholds and provenance; opens offline).")
    Path report;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        dataset.modelFile = model;
        // checked before a calibration that can take an hour
        if (timesteps <= 0 || threads <= 0 || pipeline <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timesteps, --threads and --pipeline must be positive");
        }
        SpikingTopology topology;
        SnnParameters params;
        Network net;
        String method;
        Map<String, Object> provenance;
        int dtUs = calibration.dtUs();
        if (model.toString().endsWith(".onnx")) {
            net = OnnxImporter.importFile(model);
            topology = new SpikingTopology(net);
            CalibrationSettings s = calibration.settings(threads);
            Dataset calib = dataset.load(net, dtUs, "train", s.samples());
            Calibration c = CalibrationOptions.run(topology, calib, s, progress);
            params = c.parameters();
            method = s.method().toString();
            provenance = provenance(c, calib.description());
            CalibrateCommand.print(c, JsonTarget.text(json));
        } else {
            if (spec.commandLine().getParseResult().hasMatchedOption("--dt-us")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--dt-us is for an .onnx model calibrated now; " + model + " keeps the step it was calibrated for");
            }
            CalibratedModel m = CalibratedModel.load(model);
            net = m.network();
            topology = m.topology();
            params = m.parameters();
            method = m.calibration().getMethod();
            provenance = provenance(m.calibration(), model);
            dtUs = m.dtUs();
            dataset.modelCoding = m.inputCoding();
        }
        Dataset data = dataset.load(net, dtUs);
        int[] cps = checkpoints == null ? SnnEvaluator.defaultCheckpoints(timesteps) : checkpoints;
        JsonTarget.text(json).printf("evaluating %s (%s, reset %s%s) on %s, T=%d%n", net.name(), method, params.reset().cliName(),
                net.isEventModel() ? "" : ", " + dataset.coding(dataset.modelCoding).cliName() + " input",
                data.description(), timesteps);
        SnnEvaluation e = SnnEvaluator.evaluate(topology, params, data, timesteps, cps, evalSeed, threads, pipeline,
                new ProgressBar("evaluate", progress));
        print(e, JsonTarget.text(json));
        Map<String, Object> r = report(net, method, params, topology, e, dataset.coding(dataset.modelCoding));
        r.put("calibration", provenance);
        if (json != null) {
            json.write(r);
        }
        if (report != null) {
            new ConversionReport(net.name(), List.of(r)).write(report);
            System.err.printf("report: %s%n", report);
        }
    }

    /** Where a calibration made just now came from, for reports. */
    static Map<String, Object> provenance(Calibration c, String data) {
        CalibrationSettings s = c.settings();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", s.method().toString());
        p.put("samples", s.samples());
        p.put("steps", s.steps());
        p.put("seed", s.seed());
        p.put("residual", s.residual().toString());
        if (s.correction() != Correction.NONE) {
            p.put("correction", s.correction().cliName());
            p.put("correction_steps", s.correctionSteps());
        }
        p.put("dataset", data);
        p.put("wall_s", Math.round(c.wallSeconds() * 10) / 10.0);
        p.put("tool_version", Version.current());
        return p;
    }

    /** Where the calibration of a saved model came from, as the model records it. */
    static Map<String, Object> provenance(io.spikeflux.proto.CalibrationRecord r, Path file) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("file", file.getFileName().toString());
        p.put("method", r.getMethod());
        p.put("samples", r.getSamples());
        p.put("steps", r.getCalibrationSteps());
        p.put("seed", r.getSeed());
        p.put("residual", r.getResidualMode());
        if (!r.getCorrection().isEmpty()) {
            p.put("correction", r.getCorrection());
            p.put("correction_steps", r.getCorrectionSteps());
        }
        p.put("dataset", r.getDataset());
        if (r.getCalibratedAtUnixMs() > 0) {
            p.put("calibrated_at", java.time.Instant.ofEpochMilli(r.getCalibratedAtUnixMs()).toString());
        }
        p.put("wall_s", r.getWallS());
        p.put("tool_version", r.getToolVersion());
        return p;
    }

    private static void print(SnnEvaluation e, java.io.PrintStream out) {
        out.printf("ANN accuracy on the same %d samples: %.2f%%%n", e.samples(), 100 * e.annAccuracy());
        out.printf("%8s %10s%n", "step", "accuracy");
        e.accuracyAtCheckpoint().forEach((t, a) -> out.printf("%8d %9.2f%%%n", t, 100 * a));
        out.printf("%-16s %10s %16s %14s%n", "layer", "neurons", "spikes/neuron", "rate/step");
        e.spikesPerNeuron().forEach((l, s) -> out.printf("%-16s %10d %16.3f %14.5f%n", l, e.neurons().get(l), s,
                s / e.timesteps()));
        out.printf("synaptic ops per image %,.0f (SNN, %d steps) vs ANN MACs %,d: ratio %.2f%n",
                e.synapticOpsPerImage(), e.timesteps(), e.annMacsPerImage(), e.opsRatio());
        out.printf("energy per image (45 nm: %.1f pJ/AC, %.1f pJ/MAC): SNN %.3f µJ, ANN %.3f µJ%n",
                SnnEvaluation.PJ_PER_AC, SnnEvaluation.PJ_PER_MAC, e.snnEnergyMicrojoules(), e.annEnergyMicrojoules());
        out.printf("wall %.1f s, %.0f image-steps/s; the simulation alone %.1f s, %.0f image-steps/s%n",
                e.wallSeconds(), e.imageStepsPerSecond(), e.simulationSeconds(), e.simulationImageStepsPerSecond());
    }

    static Map<String, Object> report(Network net, String method, SnnParameters params, SpikingTopology topology,
                                      SnnEvaluation e, io.spikeflux.engine.encode.InputCoding coding) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", net.name());
        m.put("method", method);
        m.put("reset", params.reset().cliName());
        if (!net.isEventModel()) {
            m.put("input_coding", coding.cliName());
        }
        m.put("initial_membrane_fraction", params.initialFraction());
        m.put("timesteps", e.timesteps());
        m.put("samples", e.samples());
        m.put("ann_accuracy", e.annAccuracy());
        Map<String, Double> acc = new LinkedHashMap<>();
        e.accuracyAtCheckpoint().forEach((t, a) -> acc.put(Integer.toString(t), a));
        m.put("accuracy", acc);
        m.put("final_accuracy", e.finalAccuracy());
        Map<String, Float> thresholds = new LinkedHashMap<>();
        List<NeuralLayer> layers = topology.layers();
        for (int i = 0; i < layers.size(); i++) {
            thresholds.put(layers.get(i).name(), params.threshold(i));
        }
        m.put("thresholds", thresholds);
        m.put("spikes_per_neuron", e.spikesPerNeuron());
        m.put("synaptic_ops_per_image", e.synapticOpsPerImage());
        m.put("ann_macs_per_image", e.annMacsPerImage());
        m.put("ops_ratio", e.opsRatio());
        m.put("snn_energy_uj", e.snnEnergyMicrojoules());
        m.put("ann_energy_uj", e.annEnergyMicrojoules());
        m.put("image_steps_per_s", e.imageStepsPerSecond());
        m.put("wall_s", e.wallSeconds());
        m.put("simulation_s", e.simulationSeconds());
        m.put("simulation_image_steps_per_s", e.simulationImageStepsPerSecond());
        return m;
    }
}
