package io.spikeflux.engine.snn;

/**
 * Where the SNN has integrate-and-fire neurons: at each ReLU of the ANN and after the last linear
 * layer (the output layer).
 *
 * @param name       stable user-facing name, e.g. {@code conv1}, {@code Add_2}, {@code fc2}
 * @param nodeIndex  the ReLU node, or -1 for the output layer
 * @param inputValue the value whose current drives these neurons
 * @param size       number of neurons
 * @param output     whether this is the output (classifier) layer
 * @param cap        the ANN activation's upper bound (ReLU6: 6), or infinity
 */
public record NeuralLayer(String name, int nodeIndex, int inputValue, int size, boolean output, float cap) {
}
