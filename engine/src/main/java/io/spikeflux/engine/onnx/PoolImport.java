package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.AveragePool;
import io.spikeflux.engine.graph.MaxPool;
import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/** Average, global average and max pooling (and a ReduceMean over H and W, which is a global average). */
final class PoolImport {

    private PoolImport() {
    }

    static void averagePool(NodeProto n, GraphImport g) {
        GraphImport.Operand input = g.operand(n, 0, GraphImport.Pending.PADDING, GraphImport.Pending.AFFINE);
        if (input.affine() != null && input.padding() != null) {
            throw new OnnxImportException("a Pad after " + input.affine().operators().replaceAll("\\+$", "")
                    + " by constants, before an AveragePool, is not supported; pad before normalising");
        }
        TensorShape s = spatialInput(g, input.value());
        long[] k = kernel(n);
        long[] strides = NodeAttributes.integers(n, "strides", new long[]{1, 1});
        requireNoDilation(n);
        GraphImport.Padding pads = Windows.padding(n, s, (int) k[0], (int) k[1], strides, new long[]{1, 1});
        boolean includePad = NodeAttributes.integer(n, "count_include_pad", 0) != 0;
        if (input.padding() != null && NodeAttributes.text(n, "auto_pad", "NOTSET").startsWith("SAME")) {
            throw new OnnxImportException("auto_pad=" + NodeAttributes.text(n, "auto_pad", "") + " after a Pad is not "
                    + "supported; export explicit pads");
        }
        if (input.padding() != null) {
            if (!pads.isZero() && !includePad) {
                throw new OnnxImportException("a Pad before an AveragePool that pads again with count_include_pad=0 is "
                        + "not supported; pad in one place");
            }
            // the Pad's zeros are elements of the pooled tensor: they count in the divisor
            includePad = true;
            pads = pads.plus(input.padding());
        }
        TensorShape out = outputShape(n, s, k, strides, pads, true);
        if (input.affine() != null && includePad && !pads.isZero()) {
            throw new OnnxImportException("an affine map (" + input.affine().operators() + ") before an AveragePool "
                    + "that counts padding cannot be moved after it; pad with count_include_pad=False");
        }
        int value = g.emit(n, input.padding() != null ? "Pad+" : "", new AveragePool(s, out, (int) k[0], (int) k[1],
                (int) strides[0], (int) strides[1], pads.top(), pads.left(), includePad, false), new int[]{input.value()}, out);
        carryAffine(n, g, input, value);
    }

    /** A per-channel affine map commutes with averaging (and with max for positive scales): it moves past the pool. */
    private static void carryAffine(NodeProto n, GraphImport g, GraphImport.Operand input, int value) {
        if (input.affine() != null) {
            g.markAffine(n.getOutput(0), value, input.affine());
        }
    }

    /** The input, with a pending affine map carried through the pool (for max pooling only with positive scales). */
    private static GraphImport.Operand pooled(NodeProto n, GraphImport g, boolean positiveScaleOnly) {
        GraphImport.Operand input = g.operand(n, 0, GraphImport.Pending.AFFINE);
        if (positiveScaleOnly && input.affine() != null) {
            for (float f : input.affine().scale()) {
                if (!(f > 0f)) {
                    throw new OnnxImportException("a max pool after " + input.affine().operators()
                            + " with a non-positive scale: the maximum does not commute with it");
                }
            }
        }
        return input;
    }

    static void globalAveragePool(NodeProto n, GraphImport g) {
        GraphImport.Operand input = pooled(n, g, false);
        TensorShape s = spatialInput(g, input.value());
        int value = g.emit(n, AveragePool.global(s), new int[]{input.value()}, TensorShape.flat(s.channels()));
        carryAffine(n, g, input, value);
    }

    /**
     * {@code GlobalMaxPool} ({@code nn.AdaptiveMaxPool2d(1)}): a max pool whose one window is the
     * whole map, written flat like a global average pool.
     */
    static void globalMaxPool(NodeProto n, GraphImport g) {
        GraphImport.Operand input = pooled(n, g, true);
        TensorShape s = spatialInput(g, input.value());
        TensorShape single = new TensorShape(1, 1, s.channels());
        int pooled = g.emitAs(nameOf(n), n.getOpType(), new MaxPool(s, single, s.height(), s.width(), 1, 1, 0, 0),
                new int[]{input.value()}, single, n.getOutput(0) + "#map");
        int value = g.emit(n, new Reshape(single, TensorShape.flat(s.channels())), new int[]{pooled},
                TensorShape.flat(s.channels()));
        carryAffine(n, g, input, value);
    }

    private static String nameOf(NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    /** {@code ReduceMean} over H and W (how some exporters write a global average pool). */
    static void reduceMean(NodeProto n, GraphImport g) {
        int in = g.value(n, 0);
        TensorShape s = spatialInput(g, in);
        long[] axes = NodeAttributes.integers(n, "axes", null);
        ConstantTensor axesInput = g.optionalConstant(n, 1);
        if (axesInput != null) {
            axes = axesInput.requireLongs();
        }
        if (axes == null || axes.length != 2 || normalised(axes[0]) + normalised(axes[1]) != 5
                || normalised(axes[0]) == normalised(axes[1])) {
            throw new OnnxImportException("ReduceMean over axes " + java.util.Arrays.toString(axes)
                    + " is not supported; only over H and W (axes [2, 3]), i.e. a global average pool");
        }
        g.emit(n, AveragePool.global(s), new int[]{in}, TensorShape.flat(s.channels()));
    }

    private static long normalised(long axis) {
        return axis < 0 ? axis + 4 : axis;
    }

    static void maxPool(NodeProto n, GraphImport g) {
        GraphImport.Operand input = pooled(n, g, true);
        int in = input.value();
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && g.consumers(n.getOutput(1)) > 0) {
            throw new OnnxImportException("the MaxPool indices output is used (max unpooling); it has no spiking form");
        }
        TensorShape s = spatialInput(g, in);
        long[] k = kernel(n);
        long[] strides = NodeAttributes.integers(n, "strides", new long[]{1, 1});
        requireNoDilation(n);
        GraphImport.Padding pads = Windows.padding(n, s, (int) k[0], (int) k[1], strides, new long[]{1, 1});
        TensorShape out = outputShape(n, s, k, strides, pads, false);
        int value = g.emit(n, new MaxPool(s, out, (int) k[0], (int) k[1], (int) strides[0], (int) strides[1],
                pads.top(), pads.left()), new int[]{in}, out);
        carryAffine(n, g, input, value);
    }

    /** The pooled map; a flat value is a 1x1 map (see {@link ConvImport}). */
    private static TensorShape spatialInput(GraphImport g, int value) {
        return g.shapeOf(value);
    }

    private static long[] kernel(NodeProto n) {
        long[] k = NodeAttributes.integers(n, "kernel_shape", null);
        if (k == null || k.length != 2) {
            throw new OnnxImportException("kernel_shape must give two dimensions (only 2-D pooling is supported)");
        }
        if (k[0] <= 0 || k[1] <= 0 || k[0] > 1 << 16 || k[1] > 1 << 16) {
            throw new OnnxImportException("kernel_shape " + java.util.Arrays.toString(k) + " is not a valid window");
        }
        return k;
    }

    private static void requireNoDilation(NodeProto n) {
        for (long d : NodeAttributes.integers(n, "dilations", new long[]{1, 1})) {
            if (d != 1) {
                throw new OnnxImportException("dilated pooling is not supported; use dilation=1");
            }
        }
    }

    /**
     * The output shape; with {@code ceil_mode=1} an average pool is accepted only where the ceiling
     * adds no partial window (its divisor there is defined differently across frameworks).
     */
    private static TensorShape outputShape(NodeProto n, TensorShape s, long[] k, long[] strides,
                                           GraphImport.Padding pads, boolean average) {
        boolean ceil = NodeAttributes.integer(n, "ceil_mode", 0) != 0;
        int h = Windows.outputSize(s.height(), (int) k[0], (int) strides[0], pads.top(), pads.bottom(), ceil);
        int w = Windows.outputSize(s.width(), (int) k[1], (int) strides[1], pads.left(), pads.right(), ceil);
        if (ceil && average) {
            int fh = Windows.outputSize(s.height(), (int) k[0], (int) strides[0], pads.top(), pads.bottom(), false);
            int fw = Windows.outputSize(s.width(), (int) k[1], (int) strides[1], pads.left(), pads.right(), false);
            if (fh != h || fw != w) {
                throw new OnnxImportException("ceil_mode=1 adds partial windows here (" + h + "x" + w + " instead of "
                        + fh + "x" + fw + "), which is not supported for average pooling; export with ceil_mode=False");
            }
        }
        return new TensorShape(h, w, s.channels());
    }
}
