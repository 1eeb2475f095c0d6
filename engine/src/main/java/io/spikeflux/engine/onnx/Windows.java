package io.spikeflux.engine.onnx;

import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.proto.onnx.Onnx.NodeProto;

/** Padding and output sizes of sliding-window operators (Conv and pooling), as ONNX defines them. */
final class Windows {

    private Windows() {
    }

    /** The node's padding: explicit {@code pads}, or what {@code auto_pad} computes for this input. */
    static GraphImport.Padding padding(NodeProto n, TensorShape in, int kh, int kw, long[] strides, long[] dilations) {
        if (strides.length != 2) {
            throw new OnnxImportException("strides " + java.util.Arrays.toString(strides) + " must give two dimensions");
        }
        // checked before any of them is narrowed to int or divides: 2^32 + 1 must not become 1, nor 0 a division
        for (long v : strides) {
            if (v < 1 || v > MAX_OUTPUT_SIDE) {
                throw new OnnxImportException("strides " + java.util.Arrays.toString(strides) + " must be from 1 to "
                        + MAX_OUTPUT_SIDE);
            }
        }
        String autoPad = NodeAttributes.text(n, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = NodeAttributes.integers(n, "pads", new long[]{0, 0, 0, 0});
                if (p.length != 4) {
                    throw new OnnxImportException("pads " + java.util.Arrays.toString(p) + " must give four values");
                }
                for (long v : p) {
                    if (v < 0) {
                        throw new OnnxImportException("negative pads " + java.util.Arrays.toString(p) + " are not supported");
                    }
                    if (v > MAX_OUTPUT_SIDE) {
                        throw new OnnxImportException("pads " + java.util.Arrays.toString(p) + " must be at most "
                                + MAX_OUTPUT_SIDE);
                    }
                }
                return new GraphImport.Padding((int) p[0], (int) p[1], (int) p[2], (int) p[3]);
            }
            case "VALID" -> {
                return new GraphImport.Padding(0, 0, 0, 0);
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                boolean upper = autoPad.equals("SAME_UPPER");
                int ph = samePad(in.height(), kh, (int) strides[0]);
                int pw = samePad(in.width(), kw, (int) strides[1]);
                int top = upper ? ph / 2 : ph - ph / 2;
                int left = upper ? pw / 2 : pw - pw / 2;
                return new GraphImport.Padding(top, left, ph - top, pw - left);
            }
            default -> throw new OnnxImportException("auto_pad=" + autoPad + " is not a valid ONNX value");
        }
    }

    private static int samePad(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + kernel - in);
    }

    /** The longest side of a feature map: far beyond any sensor (4096), short of overflowing sizes. */
    static final int MAX_OUTPUT_SIDE = 1 << 15;

    static int outputSize(int in, int kernel, int stride, int padBegin, int padEnd, boolean ceil) {
        if (stride <= 0) {
            throw new OnnxImportException("stride " + stride + " must be positive");
        }
        // long arithmetic: kernels and pads come from the file and may be anything
        long span = (long) in + padBegin + padEnd - kernel;
        long size = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (size - 1) * stride >= (long) in + padBegin) {
            // PyTorch's rule: the last window must start inside the input or the left padding
            size--;
        }
        if (span < 0 || size <= 0) {
            throw new OnnxImportException("kernel " + kernel + " with stride " + stride + " does not fit input size " + in);
        }
        if (size > MAX_OUTPUT_SIDE) {
            throw new OnnxImportException("an output side of " + size + " (input " + in + ", pads " + padBegin + "+" + padEnd
                    + ", kernel " + kernel + ", stride " + stride + ") is larger than the " + MAX_OUTPUT_SIDE
                    + " SpikeFlux supports");
        }
        return (int) size;
    }
}
