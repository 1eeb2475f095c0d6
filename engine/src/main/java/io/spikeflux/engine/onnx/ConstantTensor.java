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
            // checked before the product: negative or huge dimensions would wrap it into a plausible count
            if (d < 0 || d > Integer.MAX_VALUE || (count *= d) > Integer.MAX_VALUE - 8) {
                throw new OnnxImportException("tensor '" + name + "' has dimensions " + Arrays.toString(dims)
                        + ", not a tensor that fits in memory");
            }
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
        if (type == TensorProto.DataType.INT32_VALUE) {
            long[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                checkCount(name, count, raw.remaining() / 4L);
                values = new long[(int) count];
                for (int i = 0; i < count; i++) {
                    values[i] = raw.getInt();
                }
            } else {
                checkCount(name, count, t.getInt32DataCount());
                values = t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
            }
            return new ConstantTensor(name, dims, null, values);
        }
        if (type == TensorProto.DataType.DOUBLE_VALUE) {
            float[] values;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                checkCount(name, count, raw.remaining() / 8L);
                values = new float[(int) count];
                for (int i = 0; i < count; i++) {
                    values[i] = (float) raw.getDouble();
                }
            } else {
                checkCount(name, count, t.getDoubleDataCount());
                values = new float[(int) count];
                for (int i = 0; i < count; i++) {
                    values[i] = (float) t.getDoubleData(i);
                }
            }
            return new ConstantTensor(name, dims, values, null);
        }
        throw new OnnxImportException("tensor '" + name + "' has data type "
                + TensorProto.DataType.forNumber(type) + "; only FLOAT/DOUBLE weights and INT64/INT32 shapes are supported");
    }

    static ConstantTensor ofLongs(String name, long[] dims, long[] values) {
        return new ConstantTensor(name, dims, null, values);
    }

    static ConstantTensor ofFloats(String name, long[] dims, float[] values) {
        return new ConstantTensor(name, dims, values, null);
    }

    int size() {
        return floats != null ? floats.length : longs.length;
    }

    boolean isFloat() {
        return floats != null;
    }

    /** Element {@code i} as a double, whatever the type. */
    double at(int i) {
        return floats != null ? floats[i] : longs[i];
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

    /** The float values, refused when one is NaN or infinite (a corrupt or diverged model). */
    float[] requireFiniteFloats() {
        float[] v = requireFloats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new OnnxImportException("tensor '" + name + "' holds " + v[i] + " at element " + i
                        + "; weights must be finite (a diverged training run?)");
            }
        }
        return v;
    }

    /** The values as floats whatever the type (a Clip bound or scalar given as an integer). */
    float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
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
