package io.spikeflux.engine.onnx;

import io.spikeflux.proto.onnx.Onnx.NodeProto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of ONNX operators SpikeFlux imports, one {@link NodeImporter} per concept, and
 * what to tell the user about the operators it does not.
 */
final class NodeImporters {

    private static final Map<String, NodeImporter> BY_OPERATOR = new LinkedHashMap<>();

    static {
        register(ConvImport.INSTANCE, "Conv");
        register(PoolImport::averagePool, "AveragePool");
        register(PoolImport::globalAveragePool, "GlobalAveragePool");
        register(PoolImport::maxPool, "MaxPool");
        register(PoolImport::globalMaxPool, "GlobalMaxPool");
        register(PoolImport::reduceMean, "ReduceMean");
        register(DenseImport::matMul, "MatMul");
        register(DenseImport::gemm, "Gemm");
        register(ActivationImport::relu, "Relu");
        register(ActivationImport::clip, "Clip");
        register(ActivationImport::softmax, "Softmax", "LogSoftmax");
        register(ElementwiseImport::arithmetic, "Add", "Sub", "Mul", "Div");
        register(ElementwiseImport::batchNorm, "BatchNormalization");
        register(ShapeImport::flatten, "Flatten");
        register(ShapeImport::reshape, "Reshape");
        register(ShapeImport::transpose, "Transpose");
        register(ShapeImport::squeeze, "Squeeze", "Unsqueeze");
        register(PadImport.INSTANCE, "Pad");
        register(ConstantFolding::constant, "Constant");
        register(ConstantFolding::shape, "Shape");
        register(ConstantFolding::gather, "Gather");
        register(ConstantFolding::concat, "Concat");
        register(ConstantFolding::cast, "Cast");
        register(ConstantFolding::constantOfShape, "ConstantOfShape");
        register(ConstantFolding::slice, "Slice");
        register(NodeImporters::alias, "Identity", "Dropout");
    }

    /** Operators a model may use; anything else is rejected by name. */
    static final List<String> SUPPORTED_OPERATORS = List.copyOf(BY_OPERATOR.keySet());

    /** What to change in the training code for operators that have no spiking form here. */
    private static final Map<String, String> ADVICE = Map.ofEntries(
            activation("Sigmoid"), activation("Tanh"), activation("HardSigmoid"), activation("HardSwish"),
            activation("Elu"), activation("Selu"), activation("Celu"), activation("Gelu"), activation("Softplus"),
            activation("Softsign"), activation("Mish"), activation("ThresholdedRelu"),
            Map.entry("LeakyRelu", "negative activations have no spike rate; use nn.ReLU"),
            Map.entry("PRelu", "negative activations have no spike rate; use nn.ReLU"),
            Map.entry("LpPool", "use nn.AvgPool2d or nn.MaxPool2d"),
            Map.entry("GlobalLpPool", "use nn.AdaptiveAvgPool2d(1) or nn.AdaptiveMaxPool2d(1)"),
            Map.entry("ConvTranspose", "transposed convolutions are not converted"),
            Map.entry("Resize", "upsampling is not converted"),
            Map.entry("Upsample", "upsampling is not converted"),
            Map.entry("LSTM", "recurrent layers are not converted; use a feed-forward CNN"),
            Map.entry("GRU", "recurrent layers are not converted; use a feed-forward CNN"),
            Map.entry("RNN", "recurrent layers are not converted; use a feed-forward CNN"),
            Map.entry("LayerNormalization", "normalising over activations at inference has no spiking form; "
                    + "use nn.BatchNorm2d / nn.BatchNorm1d (folded into the layer before)"),
            Map.entry("InstanceNormalization", "normalising over activations at inference has no spiking form; "
                    + "use nn.BatchNorm2d (folded into the layer before)"),
            Map.entry("GroupNormalization", "normalising over activations at inference has no spiking form; "
                    + "use nn.BatchNorm2d (folded into the layer before)"),
            Map.entry("Max", "an element-wise max of two tensors has no spiking form"),
            Map.entry("Min", "an element-wise min of two tensors has no spiking form"),
            Map.entry("Abs", "negative activations have no spike rate"),
            Map.entry("Exp", "has no spiking form"),
            Map.entry("Log", "has no spiking form"),
            Map.entry("Sqrt", "has no spiking form"),
            Map.entry("Pow", "has no spiking form"));

    private NodeImporters() {
    }

    private static Map.Entry<String, String> activation(String op) {
        return Map.entry(op, "an integrate-and-fire neuron's rate is a ReLU; use nn.ReLU (or nn.ReLU6)");
    }

    private static void register(NodeImporter importer, String... operators) {
        for (String op : operators) {
            BY_OPERATOR.put(op, importer);
        }
    }

    static NodeImporter forOperator(String opType) {
        return BY_OPERATOR.get(opType);
    }

    /** The reason an operator is rejected, with advice where there is some. */
    static String unsupported(String opType) {
        String advice = ADVICE.get(opType);
        return "operator '" + opType + "' is not supported" + (advice == null ? "" : ": " + advice);
    }

    /** Operators whose output has the shape of their first input (activations and the like). */
    static boolean isElementwise(String opType) {
        return ELEMENTWISE.contains(opType);
    }

    private static final java.util.Set<String> ELEMENTWISE = java.util.Set.of("Sigmoid", "Tanh", "HardSigmoid",
            "HardSwish", "Elu", "Selu", "Celu", "Gelu", "Softplus", "Softsign", "Mish", "ThresholdedRelu", "LeakyRelu",
            "PRelu", "Clip", "Relu", "Softmax", "LogSoftmax", "Abs", "Exp", "Log", "Sqrt", "Pow", "Mul", "Div", "Sub",
            "Add", "Max", "Min", "BatchNormalization", "InstanceNormalization", "LayerNormalization",
            "GroupNormalization", "Dropout", "Identity");

    /** Nodes that pass their input on unchanged at inference. */
    static boolean isAlias(NodeProto n) {
        return n.getOpType().equals("Identity") || n.getOpType().equals("Dropout");
    }

    private static void alias(NodeProto n, GraphImport g) {
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && g.consumers(n.getOutput(1)) > 0) {
            throw new OnnxImportException("the Dropout mask output is used; only inference graphs are supported");
        }
        if (g.isConstant(n.getInput(0))) {
            g.defineConstant(n.getOutput(0), g.constant(n, 0));
            return;
        }
        g.passThrough(n.getOutput(0), g.operand(n, 0));
    }
}
