package io.spikeflux.engine.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.AveragePool;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Operator;
import io.spikeflux.engine.graph.Relu;
import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.GraphProto;
import io.spikeflux.proto.onnx.Onnx.ModelProto;
import io.spikeflux.proto.onnx.Onnx.NodeProto;
import io.spikeflux.proto.onnx.Onnx.StringStringEntryProto;
import io.spikeflux.proto.onnx.Onnx.TensorShapeProto;
import io.spikeflux.proto.onnx.Onnx.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model into a {@link Network}: weights re-laid channel-last, BatchNormalization and
 * bias additions folded into the layer before them, shapes inferred and checked node by node.
 */
public final class OnnxImporter {

    /** Operators a model may use; anything else is rejected by name. */
    public static final List<String> SUPPORTED_OPERATORS = List.of("Conv", "Relu", "AveragePool",
            "GlobalAveragePool", "Flatten", "Reshape", "MatMul", "Gemm", "Add", "BatchNormalization", "Dropout",
            "Identity", "Constant");


    private OnnxImporter() {
    }

    public static Network importFile(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new OnnxImportException(path + ": no such file");
        } catch (IOException e) {
            throw new OnnxImportException(path + ": cannot read: " + e.getMessage(), e);
        }
        String name = path.getFileName().toString().replaceFirst("\\.onnx$", "");
        try {
            return importBytes(bytes, name);
        } catch (OnnxImportException e) {
            throw new OnnxImportException(path + ": " + e.getMessage(), e);
        }
    }

    public static Network importBytes(byte[] bytes, String name) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException("not a readable ONNX model (" + bytes.length
                    + " bytes; truncated or not protobuf): " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() <= 0) {
            throw new OnnxImportException("not an ONNX model: no graph nodes or IR version (" + bytes.length + " bytes)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        return new Builder(model.getGraph()).build(name, metadata);
    }

    /** The state of one import; not reused. */
    private static final class Builder {
        private final GraphProto graph;
        private final Map<String, ConstantTensor> constants = new HashMap<>();
        private final Map<String, Integer> valueOf = new HashMap<>();
        /**
         * Consumers per tensor, counted on the resolved graph: an Identity or Dropout output is the
         * same tensor as its input, so its consumers count for that tensor.
         */
        private final Map<String, Integer> consumers = new HashMap<>();
        /** Identity/Dropout outputs to the tensor they pass on (resolved transitively). */
        private final Map<String, String> aliasOf = new HashMap<>();
        /** The tensor name whose consumers decide whether a value may still be folded into. */
        private final Map<Integer, String> tensorOfValue = new HashMap<>();
        /** For values that are a flattened spatial tensor: the shape before flattening. */
        private final Map<Integer, TensorShape> flattenedFrom = new HashMap<>();
        private final List<Node> nodes = new ArrayList<>();
        private TensorShape inputShape;

        Builder(GraphProto graph) {
            this.graph = graph;
        }

        Network build(String name, Map<String, String> metadata) {
            for (var init : graph.getInitializerList()) {
                constants.put(init.getName(), ConstantTensor.decode(init, init.getName()));
            }
            for (NodeProto n : graph.getNodeList()) {
                if (isAlias(n)) {
                    aliasOf.put(n.getOutput(0), resolved(n.getInput(0)));
                }
            }
            for (NodeProto n : graph.getNodeList()) {
                if (isAlias(n)) {
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
                addNode(graph.getNode(i), i);
            }
            if (graph.getOutputCount() != 1) {
                throw new OnnxImportException("the graph has " + graph.getOutputCount()
                        + " outputs; SpikeFlux needs exactly one (the class scores)");
            }
            String outName = graph.getOutput(0).getName();
            Integer out = valueOf.get(outName);
            if (out == null || out == 0) {
                throw new OnnxImportException("graph output '" + outName + "' is not produced by any node");
            }
            int classes = (out == 0 ? inputShape : nodes.get(out - 1).shape()).size();
            return new Network(name, inputShape, nodes, out, metadata, classNames(metadata, classes));
        }

        private static List<String> classNames(Map<String, String> metadata, int classes) {
            String json = metadata.get("classes");
            if (json != null) {
                // names that do not parse or do not match the output are cosmetic: numbered classes instead
                List<String> names = ClassNamesMetadata.parse(json).orElse(List.of());
                if (names.size() == classes) {
                    return names;
                }
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                names.add(Integer.toString(i));
            }
            return names;
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
            for (int i = 1; i < rank; i++) {
                var d = shape.getDim(i);
                if (!d.hasDimValue() || d.getDimValue() <= 0) {
                    throw new OnnxImportException("input '" + input.getName() + "' dimension " + i
                            + " is not a fixed positive size (" + d + "); only the batch axis may be dynamic");
                }
                dims[i] = (int) d.getDimValue();
            }
            if (rank == 4) {
                inputShape = new TensorShape(dims[2], dims[3], dims[1]);
            } else if (rank == 2) {
                inputShape = TensorShape.flat(dims[1]);
            } else {
                throw new OnnxImportException("input '" + input.getName() + "' has rank " + rank
                        + "; expected [N,C,H,W] or [N,features]");
            }
            valueOf.put(input.getName(), 0);
        }

        private void addNode(NodeProto n, int index) {
            String label = "node '" + (n.getName().isEmpty() ? "#" + index : n.getName()) + "' (" + n.getOpType() + ")";
            try {
                switch (n.getOpType()) {
                    case "Constant" -> constants.put(n.getOutput(0),
                            ConstantTensor.decode(NodeAttributes.tensor(n, "value"), n.getOutput(0)));
                    case "Identity", "Dropout" -> alias(n);
                    case "Relu" -> {
                        int in = value(n, 0);
                        int out = emit(n, new Relu(shapeOf(in)), new int[]{in}, shapeOf(in));
                        carryFlattening(in, out);
                    }
                    case "Conv" -> conv(n);
                    case "AveragePool" -> averagePool(n);
                    case "GlobalAveragePool" -> {
                        int in = value(n, 0);
                        TensorShape s = shapeOf(in);
                        emit(n, AveragePool.global(s), new int[]{in}, TensorShape.flat(s.channels()));
                    }
                    case "Flatten" -> {
                        long axis = NodeAttributes.integer(n, "axis", 1);
                        if (axis != 1) {
                            throw new OnnxImportException("Flatten axis " + axis + " is not supported; only axis 1");
                        }
                        flatten(n, value(n, 0));
                    }
                    case "Reshape" -> reshape(n);
                    case "MatMul" -> matMul(n);
                    case "Gemm" -> gemm(n);
                    case "Add" -> add(n);
                    case "BatchNormalization" -> batchNorm(n);
                    default -> throw new OnnxImportException("operator '" + n.getOpType()
                            + "' is not supported; supported operators: " + String.join(", ", SUPPORTED_OPERATORS));
                }
            } catch (OnnxImportException e) {
                throw new OnnxImportException(label + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new OnnxImportException(label + ": " + e, e);
            }
        }

        private static boolean isAlias(NodeProto n) {
            return n.getOpType().equals("Identity") || n.getOpType().equals("Dropout");
        }

        private String resolved(String tensor) {
            return aliasOf.getOrDefault(tensor, tensor);
        }

        private int emit(NodeProto n, Operator op, int[] inputs, TensorShape shape) {
            int value = nodes.size() + 1;
            String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
            nodes.add(new Node(name, n.getOpType(), op, inputs, value, shape));
            valueOf.put(n.getOutput(0), value);
            tensorOfValue.put(value, n.getOutput(0));
            return value;
        }

        private void alias(NodeProto n) {
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumers.containsKey(n.getOutput(1))) {
                throw new OnnxImportException("the Dropout mask output is used; only inference graphs are supported");
            }
            valueOf.put(n.getOutput(0), value(n, 0));
        }

        private void carryFlattening(int from, int to) {
            TensorShape spatial = flattenedFrom.get(from);
            if (spatial != null) {
                flattenedFrom.put(to, spatial);
            }
        }

        private void flatten(NodeProto n, int in) {
            TensorShape s = shapeOf(in);
            if (s.isFlat()) {
                valueOf.put(n.getOutput(0), in);
                if (consumers.getOrDefault(tensorOfValue.get(in), 0) == 1) {
                    // a pass-through with one consumer: what consumes it decides a fold from now on
                    tensorOfValue.put(in, n.getOutput(0));
                }
                return;
            }
            int out = emit(n, new Reshape(s, TensorShape.flat(s.size())), new int[]{in}, TensorShape.flat(s.size()));
            flattenedFrom.put(out, s);
        }

        private void reshape(NodeProto n) {
            int in = value(n, 0);
            long[] target = constant(n, 1).requireLongs();
            int size = shapeOf(in).size();
            boolean batchFirst = target.length == 2 && (target[0] == 0 || target[0] == -1 || target[0] == 1);
            boolean features = target.length == 2 && (target[1] == -1 || target[1] == size);
            if (!batchFirst || !features) {
                throw new OnnxImportException("Reshape to " + java.util.Arrays.toString(target)
                        + " is not supported; only reshapes to [N, features] (flattening)");
            }
            flatten(n, in);
        }

        private void conv(NodeProto n) {
            int in = value(n, 0);
            TensorShape s = shapeOf(in);
            ConstantTensor w = constant(n, 1);
            if (w.rank() != 4) {
                throw new OnnxImportException("weight '" + w.name() + "' has shape " + w.shapeText() + "; expected [Cout,Cin,kH,kW]");
            }
            if (NodeAttributes.integer(n, "group", 1) != 1) {
                throw new OnnxImportException("grouped convolution (group " + NodeAttributes.integer(n, "group", 1) + ") is not supported");
            }
            for (long d : NodeAttributes.integers(n, "dilations", new long[]{1, 1})) {
                if (d != 1) {
                    throw new OnnxImportException("dilated convolution is not supported");
                }
            }
            requireExplicitPadding(n);
            int cout = w.dim(0);
            int cin = w.dim(1);
            int kh = w.dim(2);
            int kw = w.dim(3);
            if (cin != s.channels()) {
                throw new OnnxImportException("weight '" + w.name() + "' expects " + cin + " input channels but the input "
                        + s + " has " + s.channels());
            }
            long[] strides = NodeAttributes.integers(n, "strides", new long[]{1, 1});
            long[] pads = NodeAttributes.integers(n, "pads", new long[]{0, 0, 0, 0});
            TensorShape outShape = new TensorShape(
                    outputSize(s.height(), kh, (int) strides[0], (int) (pads[0] + pads[2])),
                    outputSize(s.width(), kw, (int) strides[1], (int) (pads[1] + pads[3])), cout);
            float[] src = w.requireFloats();
            float[] dst = new float[src.length];
            for (int co = 0; co < cout; co++) {
                for (int ci = 0; ci < cin; ci++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            dst[((y * kw + x) * cin + ci) * cout + co] = src[((co * cin + ci) * kh + y) * kw + x];
                        }
                    }
                }
            }
            float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? vector(constant(n, 2), cout) : null;
            emit(n, new Conv2d(s, outShape, kh, kw, (int) strides[0], (int) strides[1], (int) pads[0], (int) pads[1],
                    dst, bias), new int[]{in}, outShape);
        }

        private void averagePool(NodeProto n) {
            int in = value(n, 0);
            TensorShape s = shapeOf(in);
            if (NodeAttributes.integer(n, "ceil_mode", 0) != 0) {
                throw new OnnxImportException("ceil_mode=1 is not supported; export with floor mode");
            }
            requireExplicitPadding(n);
            long[] k = NodeAttributes.integers(n, "kernel_shape", null);
            if (k == null || k.length != 2) {
                throw new OnnxImportException("kernel_shape must give two dimensions");
            }
            long[] strides = NodeAttributes.integers(n, "strides", new long[]{1, 1});
            long[] pads = NodeAttributes.integers(n, "pads", new long[]{0, 0, 0, 0});
            boolean includePad = NodeAttributes.integer(n, "count_include_pad", 0) != 0;
            TensorShape outShape = new TensorShape(
                    outputSize(s.height(), (int) k[0], (int) strides[0], (int) (pads[0] + pads[2])),
                    outputSize(s.width(), (int) k[1], (int) strides[1], (int) (pads[1] + pads[3])), s.channels());
            emit(n, new AveragePool(s, outShape, (int) k[0], (int) k[1], (int) strides[0], (int) strides[1],
                    (int) pads[0], (int) pads[1], includePad, false), new int[]{in}, outShape);
        }

        private void matMul(NodeProto n) {
            int in = value(n, 0);
            ConstantTensor w = constant(n, 1);
            if (w.rank() != 2) {
                throw new OnnxImportException("weight '" + w.name() + "' has shape " + w.shapeText() + "; expected [in,out]");
            }
            dense(n, in, w.dim(0), w.dim(1), w.requireFloats(), null);
        }

        private void gemm(NodeProto n) {
            if (NodeAttributes.integer(n, "transA", 0) != 0) {
                throw new OnnxImportException("transA=1 is not supported");
            }
            int in = value(n, 0);
            ConstantTensor b = constant(n, 1);
            if (b.rank() != 2) {
                throw new OnnxImportException("weight '" + b.name() + "' has shape " + b.shapeText() + "; expected 2-D");
            }
            boolean transB = NodeAttributes.integer(n, "transB", 0) != 0;
            float alpha = NodeAttributes.real(n, "alpha", 1f);
            float beta = NodeAttributes.real(n, "beta", 1f);
            int inF = transB ? b.dim(1) : b.dim(0);
            int outF = transB ? b.dim(0) : b.dim(1);
            float[] src = b.requireFloats();
            float[] w = new float[src.length];
            for (int i = 0; i < inF; i++) {
                for (int o = 0; o < outF; o++) {
                    w[i * outF + o] = alpha * (transB ? src[o * inF + i] : src[i * outF + o]);
                }
            }
            float[] bias = null;
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                bias = vector(constant(n, 2), outF).clone();
                for (int o = 0; o < outF; o++) {
                    bias[o] *= beta;
                }
            }
            dense(n, in, inF, outF, w, bias);
        }

        /** Adds a dense layer whose weight rows are in ONNX's (CHW-flattened) input order. */
        private void dense(NodeProto n, int in, int inF, int outF, float[] onnxRows, float[] bias) {
            TensorShape s = shapeOf(in);
            if (!s.isFlat()) {
                throw new OnnxImportException("input " + s + " is not flat; insert a Flatten before the dense layer");
            }
            if (s.size() != inF) {
                throw new OnnxImportException("weights expect " + inF + " inputs but the input has " + s.size());
            }
            float[] w = onnxRows;
            TensorShape spatial = flattenedFrom.get(in);
            if (spatial != null) {
                // ONNX flattened C,H,W; our storage flattened H,W,C: move each weight row accordingly.
                w = new float[onnxRows.length];
                int hw = spatial.height() * spatial.width();
                int c = spatial.channels();
                for (int row = 0; row < inF; row++) {
                    int ch = row / hw;
                    int pixel = row % hw;
                    System.arraycopy(onnxRows, row * outF, w, (pixel * c + ch) * outF, outF);
                }
            }
            emit(n, new Dense(inF, outF, w, bias), new int[]{in}, TensorShape.flat(outF));
        }

        private void add(NodeProto n) {
            boolean c0 = constants.containsKey(n.getInput(0));
            boolean c1 = constants.containsKey(n.getInput(1));
            if (c0 && c1) {
                throw new OnnxImportException("adding two constants is not supported");
            }
            if (c0 || c1) {
                int in = value(n, c0 ? 1 : 0);
                ConstantTensor bias = constant(n, c0 ? 0 : 1);
                LinearOperator producer = foldableProducer(n, in, "a bias addition");
                int channels = producer.outputShape().channels();
                float[] shift = vector(bias, channels);
                float[] ones = new float[channels];
                java.util.Arrays.fill(ones, 1f);
                refold(n, in, producer, ones, shift);
                return;
            }
            int a = value(n, 0);
            int b = value(n, 1);
            if (!shapeOf(a).equals(shapeOf(b))) {
                throw new OnnxImportException("operand shapes differ: " + shapeOf(a) + " and " + shapeOf(b)
                        + "; only same-shape residual additions are supported");
            }
            int out = emit(n, new Add(shapeOf(a)), new int[]{a, b}, shapeOf(a));
            carryFlattening(a, out);
        }

        private void batchNorm(NodeProto n) {
            int in = value(n, 0);
            LinearOperator producer = foldableProducer(n, in, "BatchNormalization");
            int channels = producer.outputShape().channels();
            float[] gamma = vector(constant(n, 1), channels);
            float[] beta = vector(constant(n, 2), channels);
            float[] mean = vector(constant(n, 3), channels);
            float[] var = vector(constant(n, 4), channels);
            float eps = NodeAttributes.real(n, "epsilon", 1e-5f);
            float[] scale = new float[channels];
            float[] shift = new float[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + (double) eps));
                shift[c] = beta[c] - mean[c] * scale[c];
            }
            refold(n, in, producer, scale, shift);
        }

        /** The conv or dense layer producing {@code value}, if an affine map after it can be folded in. */
        private LinearOperator foldableProducer(NodeProto n, int value, String what) {
            Node producer = value == 0 ? null : nodes.get(value - 1);
            if (producer == null || !(producer.operator() instanceof Conv2d || producer.operator() instanceof Dense)) {
                throw new OnnxImportException(what + " must directly follow a Conv, MatMul or Gemm to be folded into it");
            }
            if (consumers.getOrDefault(tensorOfValue.get(value), 0) != 1) {
                throw new OnnxImportException(what + " cannot be folded: the output of '" + producer.name()
                        + "' is also used elsewhere");
            }
            return (LinearOperator) producer.operator();
        }

        private void refold(NodeProto n, int value, LinearOperator producer, float[] scale, float[] shift) {
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

        /** A per-channel vector from a tensor shaped [C], [1,C], [C,1,1] or [1,C,1,1]. */
        private static float[] vector(ConstantTensor t, int channels) {
            float[] v = t.requireFloats();
            if (v.length == channels) {
                return v;
            }
            if (v.length == 1) {
                float[] b = new float[channels];
                java.util.Arrays.fill(b, v[0]);
                return b;
            }
            throw new OnnxImportException("tensor '" + t.name() + "' has shape " + t.shapeText() + "; expected "
                    + channels + " per-channel values");
        }

        private static int outputSize(int in, int kernel, int stride, int padSum) {
            int size = Math.floorDiv(in + padSum - kernel, stride) + 1;
            if (size <= 0) {
                throw new OnnxImportException("kernel " + kernel + " with stride " + stride + " does not fit input size " + in);
            }
            return size;
        }

        private void requireExplicitPadding(NodeProto n) {
            String autoPad = NodeAttributes.text(n, "auto_pad", "NOTSET");
            if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
                throw new OnnxImportException("auto_pad=" + autoPad + " is not supported; export explicit pads");
            }
        }

        private int value(NodeProto n, int i) {
            String name = n.getInput(i);
            Integer v = valueOf.get(name);
            if (v == null) {
                throw new OnnxImportException(constants.containsKey(name)
                        ? "input '" + name + "' is a constant where a computed tensor is expected"
                        : "input '" + name + "' is not produced by any earlier node (graph not topologically sorted?)");
            }
            return v;
        }

        private ConstantTensor constant(NodeProto n, int i) {
            if (i >= n.getInputCount()) {
                throw new OnnxImportException("missing input " + i);
            }
            ConstantTensor t = constants.get(n.getInput(i));
            if (t == null) {
                throw new OnnxImportException("input '" + n.getInput(i) + "' must be an initializer or Constant");
            }
            return t;
        }

        private TensorShape shapeOf(int value) {
            return value == 0 ? inputShape : nodes.get(value - 1).shape();
        }
    }
}
