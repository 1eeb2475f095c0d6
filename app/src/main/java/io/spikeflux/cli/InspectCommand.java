package io.spikeflux.cli;

import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.onnx.OnnxImporter;
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
        description = "Show an ONNX model's layers (operator, output shape, parameters, MACs), input, spiking layers and metadata.")
final class InspectCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.onnx")
    Path model;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the layers as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Override
    public void run() {
        Network net = OnnxImporter.importFile(model);
        SpikingTopology topology = new SpikingTopology(net);
        PrintStream out = JsonTarget.text(json);
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", net.name());
            m.put("input", net.inputShape().toString());
            m.put("parameters", net.parameters());
            m.put("macs", net.macs());
            m.put("layers", net.nodes().stream().map(n -> Map.of("name", n.name(), "operator", n.operator().describe(),
                    "onnx", n.onnxOp(),
                    "output", n.shape().toString(), "parameters", n.operator().parameters(), "macs", n.operator().macs())).toList());
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
    }
}
