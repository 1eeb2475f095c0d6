package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.AttributeProto;
import io.spikeflux.proto.onnx.Onnx.NodeProto;
import io.spikeflux.proto.onnx.Onnx.TensorProto;

import java.util.Arrays;

/**
 * Evaluates the small shape computations exporters emit (PyTorch's {@code x.view(x.size(0), -1)}
 * becomes Shape, Gather, Unsqueeze, Concat feeding a Reshape) at import time: every shape is
 * fixed except the batch, which is 1 here, so these become constants.
 */
final class ConstantFolding {

    private ConstantFolding() {
    }

    static void constant(NodeProto n, GraphImport g) {
        String out = n.getOutput(0);
        long[] scalar = new long[0];
        if (NodeAttributes.has(n, "value")) {
            g.defineConstant(out, ConstantTensor.decode(NodeAttributes.tensor(n, "value"), out));
        } else if (NodeAttributes.has(n, "value_float")) {
            g.defineConstant(out, ConstantTensor.ofFloats(out, scalar, new float[]{NodeAttributes.real(n, "value_float", 0f)}));
        } else if (NodeAttributes.has(n, "value_floats")) {
            AttributeProto a = NodeAttributes.attribute(n, "value_floats");
            float[] v = new float[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.getFloats(i);
            }
            g.defineConstant(out, ConstantTensor.ofFloats(out, new long[]{v.length}, v));
        } else if (NodeAttributes.has(n, "value_int")) {
            g.defineConstant(out, ConstantTensor.ofLongs(out, scalar, new long[]{NodeAttributes.integer(n, "value_int", 0)}));
        } else if (NodeAttributes.has(n, "value_ints")) {
            long[] v = NodeAttributes.integers(n, "value_ints", new long[0]);
            g.defineConstant(out, ConstantTensor.ofLongs(out, new long[]{v.length}, v));
        } else {
            throw new OnnxImportException("Constant without a numeric value attribute (value, value_float(s), value_int(s))");
        }
    }

    /** The ONNX shape of a computed tensor, batch 1: [1,C,H,W] (or [1,H,W,C] transposed), [1,F]. */
    static void shape(NodeProto n, GraphImport g) {
        GraphImport.Operand in = g.operand(n, 0, GraphImport.Pending.CHANNEL_LAST);
        TensorShape s = g.shapeOf(in.value());
        long[] dims = s.isFlat() && !isMap(g, in.value()) ? new long[]{1, s.size()}
                : in.channelLastView() ? new long[]{1, s.height(), s.width(), s.channels()}
                : new long[]{1, s.channels(), s.height(), s.width()};
        int rank = dims.length;
        int start = (int) clampAxis(NodeAttributes.integer(n, "start", 0), rank);
        int end = (int) clampAxis(NodeAttributes.integer(n, "end", rank), rank);
        long[] v = Arrays.copyOfRange(dims, start, Math.max(start, end));
        g.defineConstant(n.getOutput(0), ConstantTensor.ofLongs(n.getOutput(0), new long[]{v.length}, v));
    }

    /** Whether a value is [N,C,H,W] in ONNX even when H = W = 1 (a conv's or pool's output). */
    private static boolean isMap(GraphImport g, int value) {
        io.spikeflux.engine.graph.Node p = g.producerOf(value);
        if (p == null) {
            return false;
        }
        var op = p.operator();
        if (op instanceof io.spikeflux.engine.graph.Conv2d || op instanceof io.spikeflux.engine.graph.MaxPool
                || op instanceof io.spikeflux.engine.graph.AveragePool) {
            return true;
        }
        if (op instanceof io.spikeflux.engine.graph.Relu || op instanceof io.spikeflux.engine.graph.Add) {
            return isMap(g, p.inputs()[0]);
        }
        return false;
    }

    private static long clampAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return Math.max(0, Math.min(rank, a));
    }

    static void gather(NodeProto n, GraphImport g) {
        ConstantTensor data = g.constant(n, 0);
        ConstantTensor indices = g.constant(n, 1);
        if (data.rank() != 1) {
            throw new OnnxImportException("Gather on a constant of shape " + data.shapeText() + " is not supported; "
                    + "only on 1-D shape vectors");
        }
        long[] idx = indices.requireLongs();
        int size = data.size();
        double[] picked = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            long k = idx[i] < 0 ? idx[i] + size : idx[i];
            if (k < 0 || k >= size) {
                throw new OnnxImportException("Gather index " + idx[i] + " is outside " + data.shapeText());
            }
            picked[i] = data.at((int) k);
        }
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), indices.dims(), picked, data.isFloat()));
    }

    static void concat(NodeProto n, GraphImport g) {
        long axis = NodeAttributes.integer(n, "axis", 0);
        int total = 0;
        boolean floats = false;
        for (int i = 0; i < n.getInputCount(); i++) {
            ConstantTensor t = g.constant(n, i);
            if (t.rank() > 1 || (axis != 0 && axis != -1)) {
                throw new OnnxImportException("Concat of computed tensors (feature maps) is not supported; "
                        + "only of 1-D shape vectors; use additive skip connections (x + f(x))");
            }
            total += t.size();
            floats |= t.isFloat();
        }
        double[] v = new double[total];
        int k = 0;
        for (int i = 0; i < n.getInputCount(); i++) {
            ConstantTensor t = g.constant(n, i);
            for (int j = 0; j < t.size(); j++) {
                v[k++] = t.at(j);
            }
        }
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), new long[]{total}, v, floats));
    }

    static void cast(NodeProto n, GraphImport g) {
        int to = (int) NodeAttributes.integer(n, "to", TensorProto.DataType.FLOAT_VALUE);
        if (!g.isConstant(n.getInput(0))) {
            if (to != TensorProto.DataType.FLOAT_VALUE) {
                throw new OnnxImportException("casting an activation to " + TensorProto.DataType.forNumber(to)
                        + " is not supported; activations are float32");
            }
            g.passThrough(n.getOutput(0), g.operand(n, 0)); // x.float() on a float tensor
            return;
        }
        ConstantTensor t = g.constant(n, 0);
        boolean floats = to == TensorProto.DataType.FLOAT_VALUE || to == TensorProto.DataType.DOUBLE_VALUE
                || to == TensorProto.DataType.FLOAT16_VALUE || to == TensorProto.DataType.BFLOAT16_VALUE;
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.at(i);
        }
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), t.dims(), v, floats));
    }

    static void constantOfShape(NodeProto n, GraphImport g) {
        long[] shape = g.constant(n, 0).requireLongs();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count < 0 || count > 1 << 20) {
            throw new OnnxImportException("ConstantOfShape " + Arrays.toString(shape) + " is too large to fold");
        }
        ConstantTensor value = NodeAttributes.has(n, "value")
                ? ConstantTensor.decode(NodeAttributes.tensor(n, "value"), n.getOutput(0)) : null;
        double fill = value == null ? 0 : value.at(0);
        double[] v = new double[(int) count];
        Arrays.fill(v, fill);
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), shape, v, value == null || value.isFloat()));
    }

    static void slice(NodeProto n, GraphImport g) {
        ConstantTensor data = g.constant(n, 0);
        if (data.rank() != 1) {
            throw new OnnxImportException("Slice of " + data.shapeText() + " is not supported; only of 1-D shape vectors");
        }
        long start;
        long end;
        long step = 1;
        if (g.opset() < 10) {
            start = NodeAttributes.integers(n, "starts", new long[]{0})[0];
            end = NodeAttributes.integers(n, "ends", new long[]{Long.MAX_VALUE})[0];
        } else {
            start = g.constant(n, 1).requireLongs()[0];
            end = g.constant(n, 2).requireLongs()[0];
            ConstantTensor steps = g.optionalConstant(n, 4);
            if (steps != null) {
                step = steps.requireLongs()[0];
            }
        }
        if (step != 1) {
            throw new OnnxImportException("Slice with step " + step + " is not supported");
        }
        int size = data.size();
        int from = (int) clampAxis(start, size);
        int to = (int) clampAxis(Math.min(end, size), size);
        double[] v = new double[Math.max(0, to - from)];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.at(from + i);
        }
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), new long[]{v.length}, v, data.isFloat()));
    }

    /** Squeeze or Unsqueeze of a constant: the same values under new dimensions. */
    static void squeeze(NodeProto n, GraphImport g) {
        ConstantTensor t = g.constant(n, 0);
        long[] axes = axes(n, g);
        long[] dims;
        if (n.getOpType().equals("Unsqueeze")) {
            if (axes == null) {
                throw new OnnxImportException("Unsqueeze without axes");
            }
            int rank = t.rank() + axes.length;
            boolean[] inserted = new boolean[rank];
            for (long a : axes) {
                inserted[(int) (a < 0 ? a + rank : a)] = true;
            }
            dims = new long[rank];
            for (int i = 0, k = 0; i < rank; i++) {
                dims[i] = inserted[i] ? 1 : t.dims()[k++];
            }
        } else {
            dims = Arrays.stream(t.dims()).filter(d -> d != 1).toArray();
        }
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.at(i);
        }
        g.defineConstant(n.getOutput(0), make(n.getOutput(0), dims, v, t.isFloat()));
    }

    /** The axes of a Squeeze/Unsqueeze: an attribute before opset 13, an optional input from 13. */
    static long[] axes(NodeProto n, GraphImport g) {
        if (NodeAttributes.has(n, "axes")) {
            return NodeAttributes.integers(n, "axes", null);
        }
        ConstantTensor t = g.optionalConstant(n, 1);
        return t == null ? null : t.requireLongs();
    }

    /** Arithmetic on two constants, numpy-broadcast where one is a single value. */
    static ConstantTensor evaluate(String op, ConstantTensor a, ConstantTensor b, String name) {
        if (a.size() != b.size() && a.size() != 1 && b.size() != 1) {
            throw new OnnxImportException("cannot fold " + op + " of constants shaped " + a.shapeText() + " and "
                    + b.shapeText());
        }
        boolean floats = a.isFloat() || b.isFloat();
        ConstantTensor shapeOf = a.size() >= b.size() ? a : b;
        double[] v = new double[shapeOf.size()];
        for (int i = 0; i < v.length; i++) {
            double x = a.at(a.size() == 1 ? 0 : i);
            double y = b.at(b.size() == 1 ? 0 : i);
            v[i] = switch (op) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                case "Div" -> floats ? x / y : (double) ((long) x / (long) y);
                default -> throw new IllegalStateException(op);
            };
        }
        return make(name, shapeOf.dims(), v, floats);
    }

    private static ConstantTensor make(String name, long[] dims, double[] v, boolean floats) {
        if (floats) {
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) v[i];
            }
            return ConstantTensor.ofFloats(name, dims, f);
        }
        long[] l = new long[v.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) v[i];
        }
        return ConstantTensor.ofLongs(name, dims, l);
    }
}
