package io.spikeflux.engine.graph;

/**
 * One operator application: reads the values {@code inputs}, writes value {@code output}.
 * Value 0 is the network input; every node writes a value of its own.
 */
public record Node(String name, String onnxOp, Operator operator, int[] inputs, int output, TensorShape shape) {
}
