package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

import java.util.Arrays;

/**
 * Flatten, Reshape, Transpose and Squeeze on computed tensors. Storage is channel-last, so a
 * flattening is a view and the dense layer after it gets its weight rows permuted instead.
 */
final class ShapeImport {

    private ShapeImport() {
    }

    static void flatten(NodeProto n, GraphImport g) {
        GraphImport.Operand in = g.operand(n, 0, GraphImport.Pending.AFFINE, GraphImport.Pending.CHANNEL_LAST);
        TensorShape s = g.shapeOf(in.value());
        long axis = NodeAttributes.integer(n, "axis", 1);
        int rank = s.isFlat() ? 2 : 4;
        if (axis < 0) {
            axis += rank;
        }
        if (axis != 1) {
            throw new OnnxImportException("Flatten axis " + NodeAttributes.integer(n, "axis", 1) + " does not keep the "
                    + "batch axis; use torch.flatten(x, 1) or nn.Flatten()");
        }
        flattenTo(n, g, in);
    }

    static void reshape(NodeProto n, GraphImport g) {
        GraphImport.Operand in = g.operand(n, 0, GraphImport.Pending.AFFINE, GraphImport.Pending.CHANNEL_LAST);
        TensorShape s = g.shapeOf(in.value());
        long[] target = g.constant(n, 1).requireLongs();
        int size = s.size();
        boolean batchKept = target.length > 0 && (target[0] == 0 || target[0] == -1 || target[0] == 1);
        if (batchKept && target.length == 2 && (target[1] == -1 || target[1] == size) && !(target[0] == -1 && target[1] == -1)) {
            flattenTo(n, g, in);
            return;
        }
        long[] current = s.isFlat() ? new long[]{size} : new long[]{s.channels(), s.height(), s.width()};
        if (batchKept && target.length == current.length + 1
                && Arrays.equals(Arrays.copyOfRange(target, 1, target.length), current) && !in.channelLastView()) {
            g.passThrough(n.getOutput(0), in);
            return;
        }
        throw new OnnxImportException("Reshape of " + s + " to " + Arrays.toString(target)
                + " is not supported; only reshapes to [N, features] (flattening) or to the same shape");
    }

    private static void flattenTo(NodeProto n, GraphImport g, GraphImport.Operand in) {
        TensorShape s = g.shapeOf(in.value());
        if (s.isFlat()) {
            g.passThrough(n.getOutput(0), in);
            g.handFoldOver(in.value(), n.getOutput(0));
            return;
        }
        TensorShape flat = TensorShape.flat(s.size());
        int out = g.emit(n, new Reshape(s, flat), new int[]{in.value()}, flat);
        if (!in.channelLastView()) {
            g.markFlattened(out, s);
        }
        if (in.affine() != null) {
            g.markAffine(n.getOutput(0), out, in.affine().flattened(s.size()));
        }
    }

    static void transpose(NodeProto n, GraphImport g) {
        if (g.isInputTranspose(n)) {
            g.passThrough(n.getOutput(0), g.operand(n, 0));
            return;
        }
        long[] perm = NodeAttributes.integers(n, "perm", null);
        if (g.isConstant(n.getInput(0))) {
            throw new OnnxImportException("transposing a constant is not supported");
        }
        int in = g.value(n, 0);
        if (perm != null && Arrays.equals(perm, new long[]{0, 2, 3, 1})) {
            // NCHW -> NHWC (a Keras Flatten): SpikeFlux's own layout, valid only until flattened
            g.markChannelLastView(n.getOutput(0), in);
            return;
        }
        throw new OnnxImportException("Transpose with perm " + Arrays.toString(perm) + " is not supported; only "
                + "NHWC to NCHW at the input and NCHW to NHWC right before a Flatten");
    }

    static void squeeze(NodeProto n, GraphImport g) {
        if (g.isConstant(n.getInput(0))) {
            ConstantFolding.squeeze(n, g);
            return;
        }
        GraphImport.Operand in = g.operand(n, 0);
        if (n.getOpType().equals("Squeeze") && g.shapeOf(in.value()).isFlat()) {
            // [N,C,1,1] after a global pool is stored flat already
            long[] axes = ConstantFolding.axes(n, g);
            boolean spatialOnly = axes == null || Arrays.stream(axes).allMatch(a -> a == 2 || a == 3 || a == -1 || a == -2);
            if (spatialOnly) {
                g.passThrough(n.getOutput(0), in);
                g.handFoldOver(in.value(), n.getOutput(0));
                return;
            }
        }
        throw new OnnxImportException(n.getOpType() + " of a computed " + g.shapeOf(in.value())
                + " is not supported; only squeezing the 1x1 of a global pool");
    }
}
