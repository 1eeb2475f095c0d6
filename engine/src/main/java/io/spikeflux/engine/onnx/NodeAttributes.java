package io.spikeflux.engine.onnx;

import io.spikeflux.proto.onnx.Onnx.AttributeProto;
import io.spikeflux.proto.onnx.Onnx.NodeProto;
import io.spikeflux.proto.onnx.Onnx.TensorProto;

/** Typed access to a node's attributes, with ONNX's defaults for the absent ones. */
final class NodeAttributes {

    private NodeAttributes() {
    }

    private static AttributeProto find(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static boolean has(NodeProto n, String name) {
        return find(n, name) != null;
    }

    static AttributeProto attribute(NodeProto n, String name) {
        return find(n, name);
    }

    static TensorProto tensor(NodeProto n, String name) {
        AttributeProto a = find(n, name);
        if (a == null) {
            throw new OnnxImportException("missing attribute '" + name + "'");
        }
        return a.getT();
    }

    static long integer(NodeProto n, String name, long dflt) {
        AttributeProto a = find(n, name);
        return a == null ? dflt : a.getI();
    }

    static float real(NodeProto n, String name, float dflt) {
        AttributeProto a = find(n, name);
        return a == null ? dflt : a.getF();
    }

    static String text(NodeProto n, String name, String dflt) {
        AttributeProto a = find(n, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    static long[] integers(NodeProto n, String name, long[] dflt) {
        AttributeProto a = find(n, name);
        return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }
}
