package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/** {@code MatMul} and {@code Gemm} by a constant weight matrix: a dense layer. */
final class DenseImport {

    private DenseImport() {
    }

    static void matMul(NodeProto n, GraphImport g) {
        ConstantTensor w = g.constant(n, 1);
        if (w.rank() != 2) {
            throw new OnnxImportException("weight '" + w.name() + "' has shape " + w.shapeText() + "; expected [in,out]");
        }
        dense(n, g, w.dim(0), w.dim(1), w.requireFiniteFloats(), null);
    }

    static void gemm(NodeProto n, GraphImport g) {
        if (NodeAttributes.integer(n, "transA", 0) != 0) {
            throw new OnnxImportException("transA=1 is not supported");
        }
        ConstantTensor b = g.constant(n, 1);
        if (b.rank() != 2) {
            throw new OnnxImportException("weight '" + b.name() + "' has shape " + b.shapeText() + "; expected 2-D");
        }
        boolean transB = NodeAttributes.integer(n, "transB", 0) != 0;
        float alpha = NodeAttributes.real(n, "alpha", 1f);
        float beta = NodeAttributes.real(n, "beta", 1f);
        int inF = transB ? b.dim(1) : b.dim(0);
        int outF = transB ? b.dim(0) : b.dim(1);
        float[] src = b.requireFiniteFloats();
        float[] w = new float[src.length];
        for (int i = 0; i < inF; i++) {
            for (int o = 0; o < outF; o++) {
                w[i * outF + o] = alpha * (transB ? src[o * inF + i] : src[i * outF + o]);
            }
        }
        float[] bias = null;
        ConstantTensor c = g.optionalConstant(n, 2);
        if (c != null) {
            float[] v = c.requireFiniteFloats();
            if (v.length != outF && v.length != 1) {
                throw new OnnxImportException("bias '" + c.name() + "' has shape " + c.shapeText() + "; expected [" + outF + "]");
            }
            bias = new float[outF];
            for (int o = 0; o < outF; o++) {
                bias[o] = beta * v[v.length == 1 ? 0 : o];
            }
        }
        dense(n, g, inF, outF, w, bias);
    }

    /** Adds a dense layer whose weight rows are in ONNX's (CHW-flattened) input order. */
    private static void dense(NodeProto n, GraphImport g, int inF, int outF, float[] onnxRows, float[] bias) {
        GraphImport.Operand input = g.operand(n, 0, GraphImport.Pending.AFFINE);
        TensorShape s = g.shapeOf(input.value());
        if (!s.isFlat()) {
            throw new OnnxImportException("input " + s + " is not flat; insert a Flatten before the dense layer");
        }
        if (s.size() != inF) {
            throw new OnnxImportException("weights expect " + inF + " inputs but the input has " + s.size());
        }
        float[] w = onnxRows;
        TensorShape spatial = g.flattenedFrom(input.value());
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
        Dense dense = new Dense(inF, outF, w, bias);
        if (input.affine() != null) {
            ChannelAffine perRow = input.affine().channels() == inF ? input.affine() : input.affine().flattened(inF);
            dense = dense.withInputAffine(perRow.scale(), perRow.shift());
        }
        g.emit(n, input.affine() != null ? input.affine().operators() : "", dense, new int[]{input.value()},
                TensorShape.flat(outF));
    }
}
