package io.spikeflux.cli;

import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.SpikingTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's layers (operator, output shape, parameters, MACs), input, spiking layers and metadata.")
final class InspectCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx|M.snn",
            description = "An ONNX model, or a calibrated model (then also its calibration and thresholds).")
    Path model;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the layers as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Override
    public void run() {
        CalibratedModel calibrated = CalibratedModel.isCalibratedModel(model) ? CalibratedModel.load(model) : null;
        Network net = calibrated != null ? calibrated.network() : OnnxImporter.importFile(model);
        SpikingTopology topology = calibrated != null ? calibrated.topology() : new SpikingTopology(net);
        PrintStream out = JsonTarget.text(json);
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (calibrated != null) {
                m.put("calibration", calibration(calibrated));
            }
            m.put("model", net.name());
            m.put("input", net.inputShape().toString());
            m.put("parameters", net.parameters());
            m.put("macs", net.macs());
            m.put("layers", net.nodes().stream().map(InspectCommand::layerJson).toList());
            m.put("spiking_layers", topology.layers().stream().map(NeuralLayer::name).toList());
            m.put("classes", net.classNames());
            m.put("metadata", net.metadata());
            json.write(m);
        }
        out.printf("model      %s (%s)%n", net.name(), model);
        out.printf("input      %s  %s%n", net.inputShape(), net.isEventModel() ? "event counts per (polarity,y,x) and step" : "frame, Poisson rate-coded");
        out.printf("%-28s %-24s %-14s %12s %14s%n", "layer", "operator", "output", "parameters", "MACs");
        for (Node n : net.nodes()) {
            out.printf("%-28s %-24s %-14s %,12d %,14d%n", n.name(), n.operator().describe(), n.shape(),
                    n.operator().parameters(), n.operator().macs());
        }
        out.printf("%-28s %-24s %-14s %,12d %,14d%n", "total", "", "", net.parameters(), net.macs());
        for (Node n : net.nodes()) {
            if (n.onnxOp().contains("+")) {
                out.printf("folded     %s -> %s%n", n.onnxOp(), n.name());
            }
        }
        List<NeuralLayer> layers = topology.layers();
        out.printf("spiking    %d IF layers: %s%n", layers.size(),
                String.join(", ", layers.stream().map(l -> l.name() + "(" + l.size() + ")").toList()));
        if (!topology.residualLayers().isEmpty()) {
            out.printf("residual   %d layers inside residual stages%n", topology.residualLayers().size());
        }
        out.printf("classes    %s%n", String.join(", ", net.classNames()));
        net.metadata().forEach((k, v) -> {
            if (!k.equals("classes")) {
                out.printf("meta       %s = %s%n", k, v);
            }
        });
        long biased = net.nodes().stream().filter(n -> n.operator() instanceof LinearOperator op && op.hasBias()).count();
        if (biased > 0) {
            out.printf("biases     %d layers have biases (constant input current per step in the SNN)%n", biased);
        }
        if (calibrated != null) {
            printCalibration(out, calibrated);
        }
    }

    /** One layer's JSON object, its keys in this order every run (Map.of's order is not). */
    private static Map<String, Object> layerJson(Node n) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", n.name());
        layer.put("operator", n.operator().describe());
        layer.put("onnx", n.onnxOp());
        layer.put("output", n.shape().toString());
        layer.put("parameters", n.operator().parameters());
        layer.put("macs", n.operator().macs());
        return layer;
    }

    /** What a calibrated model adds to its network: how it was calibrated and the thresholds. */
    private static void printCalibration(PrintStream out, CalibratedModel m) {
        var c = m.calibration();
        SnnParameters p = m.parameters();
        out.printf("calibrated %s (percentile %s, %d samples x %d steps, seed %d, residual %s) on %s%n", c.getMethod(),
                c.getPercentile(), c.getSamples(), c.getCalibrationSteps(), c.getSeed(),
                c.getResidualMode().isEmpty() ? "-" : c.getResidualMode(), c.getDataset().isEmpty() ? "-" : c.getDataset());
        if (!c.getCorrection().isEmpty()) {
            out.printf("corrected  %s, layer by layer with the SNN in the loop (%d steps per sample)%n", c.getCorrection(),
                    c.getCorrectionSteps());
        }
        if (c.getCalibratedAtUnixMs() > 0) {
            out.printf("           at %s by SpikeFlux %s in %.1f s%n", java.time.Instant.ofEpochMilli(c.getCalibratedAtUnixMs()),
                    c.getToolVersion(), c.getWallS());
        }
        out.printf("simulation reset %s, initial membrane %.2f of the threshold, dt %d µs, input %s%n", p.reset().cliName(),
                p.initialFraction(), m.dtUs(), m.network().isEventModel() ? "events" : m.inputCoding().cliName());
        out.printf("%-28s %12s %s%n", "layer", "threshold", "channel scale (min .. max)");
        List<NeuralLayer> layers = m.topology().layers();
        for (int i = 0; i < layers.size(); i++) {
            float[] scale = p.channelScale(i);
            String range = "-";
            if (scale != null) {
                float lo = Float.MAX_VALUE;
                float hi = -Float.MAX_VALUE;
                for (float v : scale) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                range = String.format("%.3f .. %.3f over %d channels", lo, hi, scale.length);
            }
            out.printf("%-28s %12.5g %s%n", layers.get(i).name(), p.threshold(i), range);
        }
    }

    private static Map<String, Object> calibration(CalibratedModel m) {
        Map<String, Object> c = new LinkedHashMap<>();
        var r = m.calibration();
        c.put("method", r.getMethod());
        c.put("percentile", r.getPercentile());
        c.put("samples", r.getSamples());
        c.put("steps", r.getCalibrationSteps());
        c.put("seed", r.getSeed());
        c.put("residual", r.getResidualMode());
        if (!r.getCorrection().isEmpty()) {
            c.put("correction", r.getCorrection());
            c.put("correction_steps", r.getCorrectionSteps());
        }
        c.put("dataset", r.getDataset());
        c.put("tool_version", r.getToolVersion());
        c.put("reset", m.parameters().reset().cliName());
        c.put("initial_membrane_fraction", m.parameters().initialFraction());
        c.put("dt_us", m.dtUs());
        Map<String, Float> thresholds = new LinkedHashMap<>();
        List<NeuralLayer> layers = m.topology().layers();
        for (int i = 0; i < layers.size(); i++) {
            thresholds.put(layers.get(i).name(), m.parameters().threshold(i));
        }
        c.put("thresholds", thresholds);
        return c;
    }
}
