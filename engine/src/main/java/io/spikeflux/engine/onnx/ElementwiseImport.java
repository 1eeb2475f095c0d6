package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/**
 * {@code Add}, {@code Sub}, {@code Mul}, {@code Div} and {@code BatchNormalization}. By a constant
 * they are an affine map per channel: folded into the Conv or dense layer before them, or, on
 * the network input (in-graph normalisation such as {@code (x - mean) / std}) or after a ReLU or
 * pooling, into the Conv or dense layer after. Two computed tensors can only be added (a residual junction). Arithmetic on
 * constants alone (shape computations) is evaluated.
 */
final class ElementwiseImport {

    private ElementwiseImport() {
    }

    static void arithmetic(NodeProto n, GraphImport g) {
        String op = n.getOpType();
        boolean c0 = g.isConstant(n.getInput(0));
        boolean c1 = g.isConstant(n.getInput(1));
        if (c0 && c1) {
            g.defineConstant(n.getOutput(0), ConstantFolding.evaluate(op, g.constant(n, 0), g.constant(n, 1),
                    n.getOutput(0)));
            return;
        }
        if (!c0 && !c1) {
            if (!op.equals("Add")) {
                throw new OnnxImportException("an element-wise " + op + " of two computed tensors has no spiking form; "
                        + "only additions (residual connections) and arithmetic by constants are supported");
            }
            int a = g.value(n, 0);
            int b = g.value(n, 1);
            if (!g.shapeOf(a).equals(g.shapeOf(b))) {
                throw new OnnxImportException("operand shapes differ: " + g.shapeOf(a) + " and " + g.shapeOf(b)
                        + "; only same-shape residual additions are supported");
            }
            if (!java.util.Objects.equals(g.flattenedFrom(a), g.flattenedFrom(b))) {
                throw new OnnxImportException("adding a flattened feature map to a vector of another layout is not "
                        + "supported; add before flattening, or both after dense layers");
            }
            int out = g.emit(n, new Add(g.shapeOf(a)), new int[]{a, b}, g.shapeOf(a));
            g.carryFlattening(a, out);
            return;
        }
        int x = c0 ? 1 : 0;
        ConstantTensor c = g.constant(n, 1 - x);
        GraphImport.Operand input = g.operand(n, x, GraphImport.Pending.AFFINE);
        TensorShape shape = g.shapeOf(input.value());
        float[] k = perChannel(c, shape, g.flattenedFrom(input.value()));
        int channels = k.length;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            switch (op) {
                case "Add" -> {
                    scale[ch] = 1f;
                    shift[ch] = k[ch];
                }
                case "Sub" -> {
                    // x - c, or c - x
                    scale[ch] = x == 0 ? 1f : -1f;
                    shift[ch] = x == 0 ? -k[ch] : k[ch];
                }
                case "Mul" -> scale[ch] = k[ch];
                case "Div" -> {
                    if (x == 1) {
                        throw new OnnxImportException("dividing a constant by a tensor has no spiking form");
                    }
                    scale[ch] = 1f / k[ch];
                }
                default -> throw new IllegalStateException(op);
            }
        }
        applyAffine(n, g, input, scale, shift, op.equals("Add") ? "a bias addition" : "an element-wise " + op);
    }

    static void batchNorm(NodeProto n, GraphImport g) {
        for (int o = 1; o < n.getOutputCount(); o++) {
            if (!n.getOutput(o).isEmpty() && g.consumers(n.getOutput(o)) > 0) {
                throw new OnnxImportException("BatchNormalization in training mode (running statistics used); export "
                        + "in eval mode: model.eval()");
            }
        }
        GraphImport.Operand input = g.operand(n, 0, GraphImport.Pending.AFFINE);
        TensorShape s = g.shapeOf(input.value());
        int channels = s.channels();
        TensorShape flattened = g.flattenedFrom(input.value());
        float[] gamma = toStorageOrder(vector(g.constant(n, 1), channels), flattened);
        float[] beta = toStorageOrder(vector(g.constant(n, 2), channels), flattened);
        float[] mean = toStorageOrder(vector(g.constant(n, 3), channels), flattened);
        float[] var = toStorageOrder(vector(g.constant(n, 4), channels), flattened);
        float eps = NodeAttributes.real(n, "epsilon", 1e-5f);
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + (double) eps));
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        applyAffine(n, g, input, scale, shift, "BatchNormalization");
    }

    /** Folds into the layer before, or pends on the network input for the layer after. */
    private static void applyAffine(NodeProto n, GraphImport g, GraphImport.Operand input, float[] scale, float[] shift,
                                    String what) {
        if (input.affine() != null || g.isNetworkInput(input.value())) {
            ChannelAffine pending = input.affine() != null ? input.affine() : ChannelAffine.identity(scale.length);
            if (pending.channels() != scale.length) {
                throw new OnnxImportException(what + " has " + scale.length + " channels, the input " + pending.channels());
            }
            g.markAffine(n.getOutput(0), input.value(), pending.then(scale, shift, n.getOpType()));
            return;
        }
        Node producer = g.producerOf(input.value());
        if (!(producer.operator() instanceof Conv2d || producer.operator() instanceof Dense)) {
            // after a ReLU or a pooling (conv -> relu -> bn): the spikes stay those of the
            // activation, and the map is folded into the layer that reads them next
            g.markAffine(n.getOutput(0), input.value(),
                    ChannelAffine.identity(scale.length).then(scale, shift, n.getOpType()));
            return;
        }
        LinearOperator linear = g.foldableProducer(input.value(), what);
        g.foldAffineOutput(n, input.value(), linear, scale, shift);
    }

    /**
     * A constant broadcast against a tensor as one value per channel (numpy broadcasting against
     * [N,C,H,W] or [N,F]): a scalar, or shaped [C,1,1] / [1,C,1,1] for images, [F] / [1,F] for
     * flat tensors. A per-feature constant on a flattened image is moved to channel-last order.
     */
    private static float[] perChannel(ConstantTensor t, TensorShape shape, TensorShape flattenedFrom) {
        float[] v = t.asFloats();
        for (float f : v) {
            if (!Float.isFinite(f)) {
                throw new OnnxImportException("constant '" + t.name() + "' holds " + f + "; it must be finite");
            }
        }
        int channels = shape.isFlat() ? shape.size() : shape.channels();
        if (v.length == 1) {
            float[] b = new float[channels];
            java.util.Arrays.fill(b, v[0]);
            return b;
        }
        long[] dims = t.dims();
        int first = 0;
        while (first < dims.length && dims[first] == 1) {
            first++;
        }
        long[] core = java.util.Arrays.copyOfRange(dims, first, dims.length);
        boolean perChannel4d = core.length == 3 && core[0] == channels && core[1] == 1 && core[2] == 1;
        // a flat value may also be a 1x1 map, which a [C,1,1] constant addresses per channel
        boolean fits = shape.isFlat() ? (core.length == 1 && core[0] == channels) || perChannel4d : perChannel4d;
        if (!fits) {
            throw new OnnxImportException("constant '" + t.name() + "' of shape " + t.shapeText() + " does not broadcast"
                    + " as one value per channel over " + (shape.isFlat() ? "[N," + channels + "]"
                    : "[N," + channels + "," + shape.height() + "," + shape.width() + "]"));
        }
        return toStorageOrder(v, flattenedFrom);
    }

    /**
     * Per-feature values of a flattened map come in ONNX's C,H,W order; the map is stored H,W,C
     * (BatchNorm1d after a Flatten).
     */
    private static float[] toStorageOrder(float[] v, TensorShape flattenedFrom) {
        if (flattenedFrom == null || v.length != flattenedFrom.size()) {
            return v;
        }
        float[] hwc = new float[v.length];
        int hw = flattenedFrom.height() * flattenedFrom.width();
        int c = flattenedFrom.channels();
        for (int i = 0; i < v.length; i++) {
            hwc[(i % hw) * c + i / hw] = v[i];
        }
        return hwc;
    }

    /** A per-channel parameter of BatchNormalization: [C] (or a single value). */
    private static float[] vector(ConstantTensor t, int channels) {
        float[] v = t.requireFiniteFloats();
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
}
