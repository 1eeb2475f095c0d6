package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Operator;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.GraphProto;
import io.spikeflux.proto.onnx.Onnx.NodeProto;
import io.spikeflux.proto.onnx.Onnx.TensorShapeProto;
import io.spikeflux.proto.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one import, shared by the {@link NodeImporter}s: which ONNX tensor is which
 * computed value or constant, the nodes emitted so far, and what is still pending a fold into
 * the next layer (a Pad, an input normalisation). A node that cannot be imported is recorded
 * and the import goes on, so that one run reports every problem of a model. Not reused.
 */
final class GraphImport {

    /** A zero Pad not yet applied: the Conv or pooling after it takes the padding over. */
    record Padding(int top, int left, int bottom, int right) {
        boolean isZero() {
            return top == 0 && left == 0 && bottom == 0 && right == 0;
        }

        Padding plus(Padding o) {
            return new Padding(top + o.top, left + o.left, bottom + o.bottom, right + o.right);
        }
    }

    /** What a node reads: a computed value and anything still to be folded into its consumer. */
    record Operand(int value, Padding padding, ChannelAffine affine, boolean channelLastView) {
    }

    /** Limits on one sample's input: far above any sensor or image model, far below int overflow. */
    private static final long MAX_INPUT_DIM = 1 << 16;
    private static final long MAX_INPUT_ELEMENTS = 1 << 26;

    private final GraphProto graph;
    private final int opset;
    private final Map<String, ConstantTensor> constants = new HashMap<>();
    private final Map<String, Integer> valueOf = new HashMap<>();
    /**
     * Consumers per tensor, counted on the resolved graph: an Identity or Dropout output is the
     * same tensor as its input, so its consumers count for that tensor.
     */
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, String> aliasOf = new HashMap<>();
    /** The tensor name whose consumers decide whether a value may still be folded into. */
    private final Map<Integer, String> tensorOfValue = new HashMap<>();
    /** For values that are a flattened spatial tensor: the shape before flattening. */
    private final Map<Integer, TensorShape> flattenedFrom = new HashMap<>();
    private final Map<String, Padding> pendingPadding = new HashMap<>();
    private final Map<String, ChannelAffine> pendingAffine = new HashMap<>();
    /** Tensors transposed to NHWC, the storage order: flattening one needs no weight permutation. */
    private final Set<String> channelLastViews = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean unknownOperators;
    /** Outputs of nodes that failed or read a failed node's output: skipped without a second report. */
    private final Set<String> unavailable = new HashSet<>();
    private TensorShape inputShape;
    private String inputName;
    private String inputTranspose;

    GraphImport(GraphProto graph, int opset) {
        this.graph = graph;
        this.opset = opset;
    }

    Network run(String name, Map<String, String> metadata) {
        for (var init : graph.getInitializerList()) {
            constants.put(init.getName(), ConstantTensor.decode(init, init.getName()));
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            // every reader below takes a node's first output for granted
            if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
                throw new OnnxImportException(label(n, i) + " has no output");
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            if (NodeImporters.isAlias(n)) {
                if (n.getInputCount() == 0 || n.getInput(0).isEmpty()) {
                    throw new OnnxImportException("node '" + n.getName() + "' (" + n.getOpType()
                            + ") needs an input and an output");
                }
                aliasOf.put(n.getOutput(0), resolved(n.getInput(0)));
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            if (NodeImporters.isAlias(n)) {
                continue;
            }
            for (String in : n.getInputList()) {
                consumers.merge(resolved(in), 1, Integer::sum);
            }
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            consumers.merge(resolved(out.getName()), 1, Integer::sum);
        }
        readInput();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            importNode(graph.getNode(i), i);
        }
        if (graph.getOutputCount() != 1) {
            throw new OnnxImportException("the graph has " + graph.getOutputCount()
                    + " outputs; SpikeFlux needs exactly one (the class scores)");
        }
        String outName = graph.getOutput(0).getName();
        if (!problems.isEmpty()) {
            throw new OnnxImportException(report());
        }
        if (pendingAffine.containsKey(outName) || pendingPadding.containsKey(outName)) {
            throw new OnnxImportException("graph output '" + outName + "' is only a normalisation or padding of the input");
        }
        Integer out = valueOf.get(outName);
        if (out == null || out == 0) {
            throw new OnnxImportException("graph output '" + outName + "' is not produced by any node");
        }
        int classes = nodes.get(out - 1).shape().size();
        return new Network(name, inputShape, nodes, out, metadata, ClassNamesMetadata.names(metadata, classes));
    }

    private String report() {
        String supported = unknownOperators
                ? "supported operators: " + String.join(", ", NodeImporters.SUPPORTED_OPERATORS) : "";
        if (problems.size() == 1) {
            return problems.get(0) + (supported.isEmpty() ? "" : "; " + supported);
        }
        StringBuilder b = new StringBuilder(problems.size() + " nodes cannot be converted:");
        for (String p : problems) {
            b.append("\n  ").append(p);
        }
        if (!supported.isEmpty()) {
            b.append("\n").append(supported);
        }
        return b.toString();
    }

    private static String label(NodeProto n, int index) {
        return "node '" + (n.getName().isEmpty() ? "#" + index : n.getName()) + "' (" + n.getOpType() + ")";
    }

    private void importNode(NodeProto n, int index) {
        String label = label(n, index);
        for (String in : n.getInputList()) {
            if (unavailable.contains(in)) {
                unavailable.addAll(n.getOutputList());
                return;
            }
        }
        NodeImporter importer = NodeImporters.forOperator(n.getOpType());
        try {
            if (importer == null) {
                unknownOperators = true;
                throw new OnnxImportException(NodeImporters.unsupported(n.getOpType()));
            }
            importer.importNode(n, this);
        } catch (OnnxImportException e) {
            problems.add(label + ": " + e.getMessage());
            skip(n);
        } catch (RuntimeException e) {
            problems.add(label + ": " + e);
            skip(n);
        }
    }

    /**
     * After a failed node: an element-wise one (an activation) is passed over as if it were not
     * there, so the nodes after it are still checked; after any other, what depends on it is skipped.
     */
    private void skip(NodeProto n) {
        Integer in = n.getInputCount() > 0 ? valueOf.get(n.getInput(0)) : null;
        if (in != null && n.getOutputCount() == 1 && NodeImporters.isElementwise(n.getOpType())) {
            valueOf.put(n.getOutput(0), in);
        } else {
            unavailable.addAll(n.getOutputList());
        }
    }

    private void readInput() {
        List<ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(v -> !constants.containsKey(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new OnnxImportException("the graph has " + inputs.size()
                    + " non-constant inputs; SpikeFlux needs exactly one (the image or event counts)");
        }
        ValueInfoProto input = inputs.get(0);
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        int rank = shape.getDimCount();
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 1; i < rank; i++) {
            var d = shape.getDim(i);
            String what = d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.hasDimParam() ? "'" + d.getDimParam().replaceAll("[^\\x20-\\x7e]", "?") + "'" : "unknown";
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                throw new OnnxImportException("input '" + input.getName() + "' dimension " + i + " is " + what
                        + ", not a fixed positive size; only the batch axis may be dynamic");
            }
            if (d.getDimValue() > MAX_INPUT_DIM) {
                throw new OnnxImportException("input '" + input.getName() + "' dimension " + i + " is " + what
                        + ", beyond the supported " + MAX_INPUT_DIM);
            }
            dims[i] = (int) d.getDimValue();
            elements *= dims[i];
        }
        if (elements > MAX_INPUT_ELEMENTS) {
            throw new OnnxImportException("input '" + input.getName() + "' has " + elements + " elements per sample; "
                    + "at most " + MAX_INPUT_ELEMENTS + " are supported");
        }
        inputName = input.getName();
        if (rank == 4) {
            inputTranspose = nhwcInputTranspose();
            // a Keras model (via tf2onnx) takes NHWC and transposes it to NCHW first: that is
            // exactly the channel-last storage, so the transpose becomes a no-op
            inputShape = inputTranspose != null
                    ? new TensorShape(dims[1], dims[2], dims[3])
                    : new TensorShape(dims[2], dims[3], dims[1]);
        } else if (rank == 2) {
            inputShape = TensorShape.flat(dims[1]);
        } else {
            throw new OnnxImportException("input '" + input.getName() + "' has rank " + rank
                    + "; expected [N,C,H,W], [N,H,W,C] followed by a Transpose, or [N,features]");
        }
        valueOf.put(inputName, 0);
    }

    /**
     * The output of the Transpose NHWC -> NCHW the input goes through, if it does: directly, or
     * after arithmetic by constants (a Keras Rescaling layer), each the only consumer of the last.
     */
    private String nhwcInputTranspose() {
        String tensor = inputName;
        for (int hops = 0; hops < 8; hops++) {
            if (consumers.getOrDefault(tensor, 0) != 1) {
                return null;
            }
            NodeProto next = null;
            for (NodeProto n : graph.getNodeList()) {
                if (n.getInputList().contains(tensor) && !NodeImporters.isAlias(n)) {
                    next = n;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            if (next.getOpType().equals("Transpose")) {
                long[] perm = NodeAttributes.integers(next, "perm", null);
                return perm != null && java.util.Arrays.equals(perm, new long[]{0, 3, 1, 2}) ? next.getOutput(0) : null;
            }
            boolean byConstant = java.util.List.of("Mul", "Add", "Sub", "Div").contains(next.getOpType())
                    && next.getInputCount() == 2 && (constants.containsKey(next.getInput(0)) || constants.containsKey(next.getInput(1)));
            if (!byConstant) {
                return null;
            }
            tensor = next.getOutput(0);
        }
        return null;
    }

    // ---- what node importers read

    int opset() {
        return opset;
    }

    boolean isInputTranspose(NodeProto n) {
        return n.getOutput(0).equals(inputTranspose);
    }

    String resolved(String tensor) {
        return aliasOf.getOrDefault(tensor, tensor);
    }

    int consumers(String tensor) {
        return tensor.isEmpty() ? 0 : consumers.getOrDefault(resolved(tensor), 0);
    }

    boolean isGraphOutput(String tensor) {
        String r = resolved(tensor);
        for (ValueInfoProto out : graph.getOutputList()) {
            if (resolved(out.getName()).equals(r)) {
                return true;
            }
        }
        return false;
    }

    boolean isConstant(String tensor) {
        return constants.containsKey(tensor);
    }

    /** Input {@code i} if it is given and constant, else null. */
    ConstantTensor optionalConstant(NodeProto n, int i) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            return null;
        }
        return constant(n, i);
    }

    ConstantTensor constant(NodeProto n, int i) {
        if (i >= n.getInputCount()) {
            throw new OnnxImportException("missing input " + i);
        }
        ConstantTensor t = constants.get(n.getInput(i));
        if (t == null) {
            throw new OnnxImportException("input '" + n.getInput(i) + "' must be an initializer or Constant"
                    + " (computed from the input here, which SpikeFlux cannot fold)");
        }
        return t;
    }

    /** Input {@code i} as a plain computed value: nothing may be pending on it. */
    int value(NodeProto n, int i) {
        return operand(n, i, EnumSet.noneOf(Pending.class)).value();
    }

    /** What may still be pending on a tensor until a node folds it (see {@link Operand}). */
    enum Pending { PADDING, AFFINE, CHANNEL_LAST }

    /**
     * Input {@code i} with what is pending on it, failing with the reason when something is
     * pending that this node cannot fold ({@code foldable} says what it can).
     */
    Operand operand(NodeProto n, int i, Pending first, Pending... more) {
        return operand(n, i, EnumSet.of(first, more));
    }

    private Operand operand(NodeProto n, int i, Set<Pending> foldable) {
        Operand o = operand(n, i);
        if (o.padding() != null && !foldable.contains(Pending.PADDING)) {
            throw new OnnxImportException("input '" + n.getInput(i) + "' is the output of a Pad, which can only be "
                    + "folded into a Conv or AveragePool right after it");
        }
        if (o.affine() != null && !foldable.contains(Pending.AFFINE)) {
            throw new OnnxImportException("input '" + n.getInput(i) + "' is the output of " + o.affine().operators()
                    .replaceAll("\\+$", "") + " by constants on the network input or an activation, which can only be "
                    + "folded into a Conv, Gemm or MatMul reading it (through pooling or flattening at most)");
        }
        if (o.channelLastView() && !foldable.contains(Pending.CHANNEL_LAST)) {
            throw new OnnxImportException("input '" + n.getInput(i) + "' is transposed to NHWC, which is supported only "
                    + "right before a Flatten or Reshape");
        }
        return o;
    }

    /** Input {@code i} with whatever is pending on it, for importers that fold it. */
    Operand operand(NodeProto n, int i) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            throw new OnnxImportException("missing input " + i);
        }
        String name = n.getInput(i);
        Integer v = valueOf.get(name);
        if (v == null) {
            throw new OnnxImportException(constants.containsKey(name)
                    ? "input '" + name + "' is a constant where a computed tensor is expected"
                    : "input '" + name + "' is not produced by any earlier node (graph not topologically sorted?)");
        }
        return new Operand(v, pendingPadding.get(name), pendingAffine.get(name), channelLastViews.contains(name));
    }

    TensorShape shapeOf(int value) {
        return value == 0 ? inputShape : nodes.get(value - 1).shape();
    }

    /** Whether a value holds the network input itself, possibly flattened. */
    boolean isNetworkInput(int value) {
        Node p = producerOf(value);
        return p == null || (p.operator() instanceof io.spikeflux.engine.graph.Reshape && isNetworkInput(p.inputs()[0]));
    }

    Node producerOf(int value) {
        return value == 0 ? null : nodes.get(value - 1);
    }

    TensorShape flattenedFrom(int value) {
        return flattenedFrom.get(value);
    }

    // ---- what node importers write

    void defineConstant(String tensor, ConstantTensor value) {
        constants.put(tensor, value);
    }

    int emit(NodeProto n, Operator op, int[] inputs, TensorShape shape) {
        return emit(n, "", op, inputs, shape);
    }

    /** Emits a node whose ONNX operator is shown with the operators folded into it, e.g. {@code Sub+Div+Conv}. */
    int emit(NodeProto n, String foldedBefore, Operator op, int[] inputs, TensorShape shape) {
        int value = nodes.size() + 1;
        String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
        nodes.add(new Node(name, foldedBefore + n.getOpType(), op, inputs, value, shape));
        valueOf.put(n.getOutput(0), value);
        tensorOfValue.put(value, n.getOutput(0));
        return value;
    }

    /** Emits an operator under a given name, writing {@code outputTensor} (for rewrites). */
    int emitAs(String name, String onnxOp, Operator op, int[] inputs, TensorShape shape, String outputTensor) {
        int value = nodes.size() + 1;
        nodes.add(new Node(name, onnxOp, op, inputs, value, shape));
        valueOf.put(outputTensor, value);
        tensorOfValue.put(value, outputTensor);
        return value;
    }

    int consumersOfValue(int value) {
        String tensor = tensorOfValue.get(value);
        return tensor == null ? 0 : consumers.getOrDefault(tensor, 0);
    }

    /** Records that an operator after the node writing {@code value} was dropped or folded into it. */
    void annotate(int value, String suffix) {
        Node old = nodes.get(value - 1);
        nodes.set(value - 1, new Node(old.name(), old.onnxOp() + suffix, old.operator(), old.inputs(), old.output(),
                old.shape()));
    }

    /** Replaces the node writing {@code value} (a rewrite such as moving a ReLU before a max pool). */
    void replace(int value, Node node) {
        nodes.set(value - 1, node);
    }

    /** Makes an output tensor the same value as an input, carrying what is pending on it. */
    void passThrough(String output, Operand from) {
        valueOf.put(output, from.value());
        if (from.padding() != null) {
            pendingPadding.put(output, from.padding());
        }
        if (from.affine() != null) {
            pendingAffine.put(output, from.affine());
        }
        if (from.channelLastView()) {
            channelLastViews.add(output);
        }
    }

    void markPadded(String output, int value, Padding padding) {
        valueOf.put(output, value);
        pendingPadding.put(output, padding);
    }

    void markAffine(String output, int value, ChannelAffine affine) {
        valueOf.put(output, value);
        pendingAffine.put(output, affine);
    }

    void markChannelLastView(String output, int value) {
        valueOf.put(output, value);
        channelLastViews.add(output);
    }

    void markFlattened(int value, TensorShape spatial) {
        flattenedFrom.put(value, spatial);
    }

    void carryFlattening(int from, int to) {
        TensorShape spatial = flattenedFrom.get(from);
        if (spatial != null) {
            flattenedFrom.put(to, spatial);
        }
    }

    /** A pass-through with one consumer: what consumes its output decides a fold from now on. */
    void handFoldOver(int value, String output) {
        if (consumers.getOrDefault(tensorOfValue.get(value), 0) == 1) {
            tensorOfValue.put(value, output);
        }
    }

    /** The conv or dense layer producing {@code value}, if an affine map after it can be folded in. */
    LinearOperator foldableProducer(int value, String what) {
        Node producer = producerOf(value);
        if (producer == null || !(producer.operator() instanceof Conv2d || producer.operator() instanceof Dense)) {
            throw new OnnxImportException(what + " must directly follow a Conv, MatMul or Gemm to be folded into it");
        }
        if (consumers.getOrDefault(tensorOfValue.get(value), 0) != 1) {
            throw new OnnxImportException(what + " cannot be folded: the output of '" + producer.name()
                    + "' is also used elsewhere");
        }
        return (LinearOperator) producer.operator();
    }

    /** Folds {@code y * scale + shift} per output channel into the layer writing {@code value}. */
    void foldAffineOutput(NodeProto n, int value, LinearOperator producer, float[] scale, float[] shift) {
        LinearOperator folded = producer instanceof Conv2d conv
                ? conv.withAffineOutput(scale, shift)
                : ((Dense) producer).withAffineOutput(scale, shift);
        Node old = nodes.get(value - 1);
        nodes.set(value - 1, new Node(old.name(), old.onnxOp() + "+" + n.getOpType(), folded, old.inputs(),
                old.output(), old.shape()));
        valueOf.put(n.getOutput(0), value);
        // the folded node now produces this output: its consumers decide any further fold
        tensorOfValue.put(value, n.getOutput(0));
    }
}
