package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.MaxPool;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/** ReLU, clipped ReLU ({@code Clip} with min 0, e.g. ReLU6), and a softmax at the output. */
final class ActivationImport {

    private ActivationImport() {
    }

    static void relu(NodeProto n, GraphImport g) {
        relu(n, g, Float.POSITIVE_INFINITY);
    }

    static void clip(NodeProto n, GraphImport g) {
        float min;
        float max;
        if (g.opset() < 11) {
            min = NodeAttributes.real(n, "min", Float.NEGATIVE_INFINITY);
            max = NodeAttributes.real(n, "max", Float.POSITIVE_INFINITY);
        } else {
            ConstantTensor lo = g.optionalConstant(n, 1);
            ConstantTensor hi = g.optionalConstant(n, 2);
            min = lo == null ? Float.NEGATIVE_INFINITY : scalar(lo);
            max = hi == null ? Float.POSITIVE_INFINITY : scalar(hi);
        }
        if (min != 0f) {
            throw new OnnxImportException("Clip with min " + min + " is not a ReLU: only clips at 0 from below "
                    + "(nn.ReLU6, nn.Hardtanh(0, x)) have a spiking form");
        }
        if (!(max > 0f)) {
            throw new OnnxImportException("Clip with max " + max + " leaves nothing to pass");
        }
        relu(n, g, max);
    }

    private static float scalar(ConstantTensor t) {
        if (t.size() != 1) {
            throw new OnnxImportException("Clip bound '" + t.name() + "' has shape " + t.shapeText() + "; expected a scalar");
        }
        return (float) t.at(0);
    }

    /**
     * A ReLU after a max pool over currents (the classic {@code relu(max_pool(conv(x)))}) is moved
     * before the pool: max and ReLU commute, and a spiking max pool needs spikes to gate.
     */
    private static void relu(NodeProto n, GraphImport g, float cap) {
        int in = g.value(n, 0);
        Node producer = g.producerOf(in);
        if (producer != null && producer.operator() instanceof MaxPool pool && !isSpiking(g, producer.inputs()[0])
                && g.consumersOfValue(in) == 1) {
            int pre = producer.inputs()[0];
            TensorShape preShape = g.shapeOf(pre);
            String name = n.getName().isEmpty() ? n.getOutput(0) : n.getName();
            g.replace(in, new Node(name, n.getOpType(), new Relu(preShape, cap), new int[]{pre}, in, preShape));
            g.emitAs(producer.name(), producer.onnxOp(), pool, new int[]{in}, producer.shape(), n.getOutput(0));
            return;
        }
        TensorShape s = g.shapeOf(in);
        int out = g.emit(n, new Relu(s, cap), new int[]{in}, s);
        g.carryFlattening(in, out);
    }

    /** Whether a value is spikes in the SNN: the input or a ReLU's output. */
    private static boolean isSpiking(GraphImport g, int value) {
        Node p = g.producerOf(value);
        return p == null || p.operator() instanceof Relu;
    }

    /** A softmax is dropped at the output (the argmax does not change); anywhere else it has no spiking form. */
    static void softmax(NodeProto n, GraphImport g) {
        int in = g.value(n, 0);
        if (!g.isGraphOutput(n.getOutput(0))) {
            throw new OnnxImportException(n.getOpType() + " inside the network has no spiking form; it is only "
                    + "accepted as the last operation, where it is dropped (it does not change the argmax)");
        }
        g.passThrough(n.getOutput(0), new GraphImport.Operand(in, null, null, false));
        if (in > 0) {
            g.annotate(in, "+" + n.getOpType() + "(dropped)");
        }
    }
}
