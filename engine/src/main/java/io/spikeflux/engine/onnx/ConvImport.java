package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/**
 * {@code Conv}, grouped and depthwise included: weights re-laid channel-last, a zero Pad before it
 * merged into its padding, an in-graph input normalisation folded into its weights and bias.
 */
final class ConvImport implements NodeImporter {

    static final ConvImport INSTANCE = new ConvImport();

    private ConvImport() {
    }

    @Override
    public void importNode(NodeProto n, GraphImport g) {
        GraphImport.Operand input = g.operand(n, 0, GraphImport.Pending.PADDING, GraphImport.Pending.AFFINE);
        TensorShape s = g.shapeOf(input.value());
        // a flat value is a 1x1 map (e.g. after a conv that left no spatial extent): valid ONNX
        // never convolves a flattened [N,F] tensor, so it can be taken as [N,F,1,1]
        ConstantTensor w = g.constant(n, 1);
        if (w.rank() != 4) {
            throw new OnnxImportException("weight '" + w.name() + "' has shape " + w.shapeText()
                    + "; expected [Cout,Cin/group,kH,kW] (only 2-D convolutions are supported)");
        }
        for (long d : NodeAttributes.integers(n, "dilations", new long[]{1, 1})) {
            if (d != 1) {
                throw new OnnxImportException("dilated convolution (dilations " + d + ") is not supported; use dilation=1");
            }
        }
        int groups = (int) NodeAttributes.integer(n, "group", 1);
        int cout = w.dim(0);
        int cinPerGroup = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        int cin = s.channels();
        if (groups < 1 || cin % groups != 0 || cout % groups != 0 || cinPerGroup * groups != cin) {
            throw new OnnxImportException("weight '" + w.name() + "' " + w.shapeText() + " with group " + groups
                    + " does not fit the input " + s + " with " + cin + " channels");
        }
        long[] strides = NodeAttributes.integers(n, "strides", new long[]{1, 1});
        GraphImport.Padding pads = Windows.padding(n, s, kh, kw, strides, new long[]{1, 1});
        if (input.padding() != null && NodeAttributes.text(n, "auto_pad", "NOTSET").startsWith("SAME")) {
            throw new OnnxImportException("auto_pad=" + NodeAttributes.text(n, "auto_pad", "") + " after a Pad is not "
                    + "supported; export explicit pads");
        }
        if (input.padding() != null) {
            pads = pads.plus(input.padding());
        }
        TensorShape outShape = new TensorShape(
                Windows.outputSize(s.height(), kh, (int) strides[0], pads.top(), pads.bottom(), false),
                Windows.outputSize(s.width(), kw, (int) strides[1], pads.left(), pads.right(), false), cout);
        int slab = cout / groups;
        float[] src = w.requireFiniteFloats();
        float[] dst = new float[src.length];
        for (int co = 0; co < cout; co++) {
            int group = co / slab;
            for (int cig = 0; cig < cinPerGroup; cig++) {
                int ci = group * cinPerGroup + cig;
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        dst[((y * kw + x) * cin + ci) * slab + co % slab] = src[((co * cinPerGroup + cig) * kh + y) * kw + x];
                    }
                }
            }
        }
        float[] bias = null;
        ConstantTensor b = g.optionalConstant(n, 2);
        if (b != null) {
            bias = b.requireFiniteFloats();
            if (bias.length != cout) {
                throw new OnnxImportException("bias '" + b.name() + "' has shape " + b.shapeText() + "; expected [" + cout + "]");
            }
        }
        Conv2d conv = new Conv2d(s, outShape, kh, kw, (int) strides[0], (int) strides[1], pads.top(), pads.left(), groups,
                dst, bias);
        if (input.affine() != null) {
            conv = conv.withInputAffine(input.affine().scale(), input.affine().shift());
        }
        String folded = (input.affine() != null ? input.affine().operators() : "") + (input.padding() != null ? "Pad+" : "");
        g.emit(n, folded, conv, new int[]{input.value()}, outShape);
    }
}
