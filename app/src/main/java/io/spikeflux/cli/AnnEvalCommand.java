package io.spikeflux.cli;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.eval.AnnEvaluator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "ann-eval", mixinStandardHelpOptions = true,
        description = "Accuracy of the ANN itself (float forward pass) on a dataset.")
final class AnnEvalCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx")
    Path model;

    @Mixin
    DatasetOptions dataset = new DatasetOptions();

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the result as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    boolean progress;

    @Override
    public void run() {
        dataset.modelFile = model;
        Network net = io.spikeflux.engine.model.CalibratedModel.networkOf(model);
        Dataset data = dataset.load(net, 1000);
        AnnEvaluator.Result r = AnnEvaluator.evaluate(net, data, threads, new ProgressBar("ann-eval", progress));
        JsonTarget.text(json).printf("model %s  samples %d  accuracy %.2f%% (%d correct)  %.1f s  %.0f samples/s%n", net.name(),
                r.samples(), 100 * r.accuracy(), r.correct(), r.wallSeconds(), r.samples() / r.wallSeconds());
        String published = net.metadata().get("ann_test_accuracy");
        if (published != null) {
            JsonTarget.text(json).printf("published ANN test accuracy (metadata): %.2f%%%n", 100 * Double.parseDouble(published));
        }
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", net.name());
            m.put("data", data.description());
            m.put("samples", r.samples());
            m.put("correct", r.correct());
            m.put("accuracy", r.accuracy());
            m.put("wall_s", r.wallSeconds());
            json.write(m);
        }
    }
}
