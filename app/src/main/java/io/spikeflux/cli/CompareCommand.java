package io.spikeflux.cli;

import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.Correction;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.eval.SnnEvaluation;
import io.spikeflux.engine.eval.SnnEvaluator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.SpikingTopology;
import io.spikeflux.view.report.ConversionReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Calibrate an ONNX model with several methods and evaluate each on the same samples, seeds and "
                + "T: one table of accuracy against time step, spikes and synaptic operations per method.")
final class CompareCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX model to convert.")
    Path model;

    @Option(names = "--methods", required = true, split = ",", paramLabel = "M1,M2,...",
            description = "Calibration methods, e.g. ann-max,ann-p99.9,ann-p99.9-channel,spike-norm; a method may name "
                    + "its own correction after a +, e.g. ann-p99-channel+potential (else --correction applies).")
    List<String> methods;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Mixin
    CalibrationOptions calibration = new CalibrationOptions();

    @Option(names = "--timesteps", defaultValue = "64", description = "Steps per sample (default ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--checkpoints", split = ",", paramLabel = "T1,T2,...",
            description = "Steps at which accuracy is reported (default 8,16,32,... and T).")
    int[] checkpoints;

    @Option(names = "--eval-seed", defaultValue = "7", description = "Poisson seed of the evaluation (default ${DEFAULT-VALUE}).")
    long evalSeed;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write every method's evaluation report as JSON to FILE, or to stdout with -.")
    JsonTarget json;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write a self-contained HTML report comparing the methods (opens offline).")
    Path report;

    @Option(names = "--progress", description = "Show the progress bars even when stderr is not a terminal.")
    boolean progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        dataset.modelFile = model;
        if (timesteps <= 0 || threads <= 0 || !model.toString().endsWith(".onnx")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "compare needs an .onnx model and positive --timesteps and --threads");
        }
        Network net = OnnxImporter.importFile(model);
        SpikingTopology topology = new SpikingTopology(net);
        int dtUs = calibration.dtUs();
        CalibrationSettings base = calibration.settings(threads);
        List<Compared> compared = new ArrayList<>();
        for (String m : methods) {
            compared.add(Compared.parse(m, base.correction(), spec));
        }
        Dataset calib = dataset.load(net, dtUs, "train", base.samples());
        Dataset data = dataset.load(net, dtUs);
        int[] cps = checkpoints == null ? SnnEvaluator.defaultCheckpoints(timesteps) : checkpoints;
        PrintStream out = JsonTarget.text(json);
        out.printf("comparing %d methods on %s (%s, reset %s, initial membrane %.2f%s), T=%d%n", methods.size(),
                net.name(), data.description(), base.reset().cliName(), base.initialFraction(),
                net.isEventModel() ? "" : ", " + dataset.coding().cliName() + " input", timesteps);
        List<Map<String, Object>> reports = new ArrayList<>();
        List<SnnEvaluation> results = new ArrayList<>();
        for (Compared cm : compared) {
            CalibrationMethod m = cm.method;
            CalibrationSettings s = new CalibrationSettings(m, base.reset(), base.samples(), base.steps(), base.seed(),
                    base.residual(), base.initialFraction(), base.threads())
                    .withCorrection(cm.correction, cm.correction == Correction.NONE ? 0 : calibration.correctionSteps);
            Calibration c = CalibrationOptions.run(topology, calib, s, progress);
            SnnEvaluation e = SnnEvaluator.evaluate(topology, c.parameters(), data, timesteps, cps, evalSeed, threads,
                    new ProgressBar("evaluate " + m, progress));
            results.add(e);
            Map<String, Object> r = EvaluateCommand.report(net, cm.label, c.parameters(), topology, e,
                    dataset.coding());
            r.put("calibration_wall_s", c.wallSeconds());
            r.put("calibration", EvaluateCommand.provenance(c, calib.description()));
            reports.add(r);
        }
        print(out, results, compared.stream().map(Compared::label).toList(), cps);
        if (json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("model", net.name());
            all.put("samples", results.isEmpty() ? 0 : results.get(0).samples());
            all.put("methods", reports);
            json.write(all);
        }
        if (report != null) {
            new ConversionReport(net.name(), reports).write(report);
            System.err.printf("report: %s%n", report);
        }
    }

    /** One entry of --methods: a calibration method and the correction after it. */
    private record Compared(CalibrationMethod method, Correction correction, String label) {
        static Compared parse(String text, Correction fallback, CommandLine.Model.CommandSpec spec) {
            int plus = text.indexOf('+');
            try {
                CalibrationMethod m = CalibrationMethod.parse(plus < 0 ? text : text.substring(0, plus));
                Correction c = plus < 0 ? fallback : Correction.parse(text.substring(plus + 1));
                String label = m + (c == Correction.NONE ? "" : "+" + c.cliName());
                return new Compared(m, c, label);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--methods " + text + ": " + e.getMessage());
            }
        }
    }

    private void print(PrintStream out, List<SnnEvaluation> results, List<String> labels, int[] cps) {
        StringBuilder head = new StringBuilder(String.format("%-28s %8s", "method", "ANN"));
        for (int t : cps) {
            head.append(String.format(" %8s", "T=" + t));
        }
        head.append(String.format(" %14s %14s", "spikes/image", "syn ops/image"));
        out.println(head);
        for (int i = 0; i < results.size(); i++) {
            SnnEvaluation e = results.get(i);
            StringBuilder row = new StringBuilder(String.format("%-28s %7.2f%%", labels.get(i), 100 * e.annAccuracy()));
            for (int t : cps) {
                Double a = e.accuracyAtCheckpoint().get(t);
                row.append(a == null ? String.format(" %8s", "-") : String.format(" %7.2f%%", 100 * a));
            }
            double spikes = 0;
            for (var layer : e.spikesPerNeuron().entrySet()) {
                spikes += layer.getValue() * e.neurons().get(layer.getKey());
            }
            row.append(String.format(" %,14.0f %,14.0f", spikes, e.synapticOpsPerImage()));
            out.println(row);
        }
    }
}
