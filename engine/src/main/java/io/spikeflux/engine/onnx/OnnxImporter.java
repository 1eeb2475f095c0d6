package io.spikeflux.engine.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.proto.onnx.Onnx.ModelProto;
import io.spikeflux.proto.onnx.Onnx.OperatorSetIdProto;
import io.spikeflux.proto.onnx.Onnx.StringStringEntryProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model into a {@link Network}: weights re-laid channel-last, BatchNormalization,
 * biases, in-graph input normalisation and zero padding folded into the layers next to them,
 * shape computations evaluated, shapes inferred and checked node by node. Each operator's import
 * lives in a {@link NodeImporter} registered in {@link NodeImporters}; a model that cannot be
 * converted is reported with all its unsupported nodes at once.
 */
public final class OnnxImporter {

    /** Operators a model may use; anything else is rejected by name. */
    public static final List<String> SUPPORTED_OPERATORS = NodeImporters.SUPPORTED_OPERATORS;
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 21;


    private OnnxImporter() {
    }

    public static Network importFile(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new OnnxImportException(path + ": no such file");
        } catch (IOException e) {
            throw new OnnxImportException(path + ": cannot read: " + e.getMessage(), e);
        }
        String name = path.getFileName().toString().replaceFirst("\\.onnx$", "");
        try {
            return importBytes(bytes, name);
        } catch (OnnxImportException e) {
            throw new OnnxImportException(path + ": " + e.getMessage(), e);
        }
    }

    public static Network importBytes(byte[] bytes, String name) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException("not a readable ONNX model (" + bytes.length
                    + " bytes; truncated or not protobuf): " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getIrVersion() <= 0) {
            throw new OnnxImportException("not an ONNX model: no graph nodes or IR version (" + bytes.length + " bytes)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        return new GraphImport(model.getGraph(), opset(model)).run(name, metadata);
    }

    /** The default-domain opset the model was exported with. */
    private static int opset(ModelProto model) {
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                long v = id.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new OnnxImportException("opset " + v + " is outside the supported " + MIN_OPSET + " to "
                            + MAX_OPSET + "; export with torch.onnx.export(..., opset_version=17)");
                }
                return (int) v;
            }
        }
        throw new OnnxImportException("the model imports no default-domain opset");
    }
}
