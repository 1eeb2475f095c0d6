package io.spikeflux.engine.onnx;

import io.spikeflux.proto.onnx.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** An initializer or Constant decoded to plain arrays, in ONNX's row-major (NCHW) order. */
record ConstantTensor(String name, long[] dims, float[] floats, long[] longs) {

    static ConstantTensor decode(TensorProto t, String owner) {
        String name = t.getName().isEmpty() ? owner : t.getName();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException("tensor '" + name + "' stores its data in an external file, which is not "
                    + "supported: re-export the model with the weights embedded (save_as_external_data=False)");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            float[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                checkCount(name, count, raw.remaining() / 4L);
                values = new float[(int) count];
                raw.asFloatBuffer().get(values);
            } else {
                checkCount(name, count, t.getFloatDataCount());
                values = new float[(int) count];
                for (int i = 0; i < count; i++) {
                    values[i] = t.getFloatData(i);
                }
            }
            return new ConstantTensor(name, dims, values, null);
        }
        if (type == TensorProto.DataType.INT64_VALUE) {
            long[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                checkCount(name, count, raw.remaining() / 8L);
                values = new long[(int) count];
                raw.asLongBuffer().get(values);
            } else {
                checkCount(name, count, t.getInt64DataCount());
                values = t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            }
            return new ConstantTensor(name, dims, null, values);
        }
        throw new OnnxImportException("tensor '" + name + "' has data type "
                + TensorProto.DataType.forNumber(type) + "; only FLOAT weights and INT64 shapes are supported");
    }

    private static void checkCount(String name, long expected, long actual) {
        if (expected != actual) {
            throw new OnnxImportException("tensor '" + name + "' declares " + expected + " elements but holds "
                    + actual + " (truncated or inconsistent file)");
        }
    }

    int rank() {
        return dims.length;
    }

    int dim(int i) {
        return (int) dims[i];
    }

    float[] requireFloats() {
        if (floats == null) {
            throw new OnnxImportException("tensor '" + name + "' must hold FLOAT values");
        }
        return floats;
    }

    long[] requireLongs() {
        if (longs == null) {
            throw new OnnxImportException("tensor '" + name + "' must hold INT64 values");
        }
        return longs;
    }

    String shapeText() {
        return Arrays.toString(dims);
    }
}
