package io.spikeflux.engine.onnx;

import io.spikeflux.proto.onnx.Onnx.NodeProto;

/**
 * Imports the ONNX nodes of one or a few related operator types: emits operators, folds the
 * node into an earlier one, or defines constants. Throws {@link OnnxImportException} with a
 * reason the user can act on; the caller adds which node it was.
 */
@FunctionalInterface
interface NodeImporter {

    void importNode(NodeProto node, GraphImport graph);
}
