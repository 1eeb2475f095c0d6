package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/**
 * {@code Pad} with zeros over H and W, as PyTorch emits before some poolings: left pending and
 * merged into the padding of the Conv or AveragePool that reads it.
 */
final class PadImport implements NodeImporter {

    static final PadImport INSTANCE = new PadImport();

    private PadImport() {
    }

    @Override
    public void importNode(NodeProto n, GraphImport g) {
        GraphImport.Operand in = g.operand(n, 0, GraphImport.Pending.PADDING, GraphImport.Pending.AFFINE);
        String mode = NodeAttributes.text(n, "mode", "constant");
        if (!mode.equals("constant")) {
            throw new OnnxImportException("Pad mode '" + mode + "' is not supported; only zero padding (mode constant), "
                    + "which folds into the next Conv or AveragePool");
        }
        long[] pads;
        float value;
        long[] axes = null;
        if (g.opset() < 11) {
            pads = NodeAttributes.integers(n, "pads", null);
            value = NodeAttributes.real(n, "value", 0f);
        } else {
            pads = g.constant(n, 1).requireLongs();
            ConstantTensor v = g.optionalConstant(n, 2);
            value = v == null || v.size() == 0 ? 0f : (float) v.at(0);
            ConstantTensor a = g.optionalConstant(n, 3);
            axes = a == null ? null : a.requireLongs();
        }
        if (value != 0f) {
            throw new OnnxImportException("Pad with value " + value + " is not supported; only zeros");
        }
        TensorShape s = g.shapeOf(in.value());
        if (s.isFlat()) {
            throw new OnnxImportException("Pad of a flat tensor " + s + " is not supported");
        }
        long[] full = perAxis(pads, axes);
        for (long p : full) {
            if (p < 0) {
                throw new OnnxImportException("negative pads (cropping) " + java.util.Arrays.toString(pads)
                        + " are not supported");
            }
        }
        if (full[0] != 0 || full[1] != 0 || full[4] != 0 || full[5] != 0) {
            throw new OnnxImportException("Pad over the batch or channel axis " + java.util.Arrays.toString(pads)
                    + " is not supported; only over H and W");
        }
        GraphImport.Padding added = new GraphImport.Padding((int) full[2], (int) full[3], (int) full[6], (int) full[7]);
        g.passThrough(n.getOutput(0), in);
        if (!added.isZero()) {
            g.markPadded(n.getOutput(0), in.value(), in.padding() == null ? added : in.padding().plus(added));
        }
    }

    /** Pads as [begin N,C,H,W, end N,C,H,W], from the full list or from the pads of the given axes (opset 18). */
    private static long[] perAxis(long[] pads, long[] axes) {
        if (axes == null) {
            if (pads == null || pads.length != 8) {
                throw new OnnxImportException("pads " + java.util.Arrays.toString(pads) + " must give 8 values for [N,C,H,W]");
            }
            return pads;
        }
        if (pads.length != 2 * axes.length) {
            throw new OnnxImportException("pads " + java.util.Arrays.toString(pads) + " do not match axes "
                    + java.util.Arrays.toString(axes));
        }
        long[] full = new long[8];
        for (int i = 0; i < axes.length; i++) {
            int a = (int) (axes[i] < 0 ? axes[i] + 4 : axes[i]);
            if (a < 0 || a > 3) {
                throw new OnnxImportException("Pad axis " + axes[i] + " is outside [N,C,H,W]");
            }
            full[a] = pads[i];
            full[a + 4] = pads[axes.length + i];
        }
        return full;
    }
}
