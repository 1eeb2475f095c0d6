package io.spikeflux.engine.snn;

/**
 * What one time step of a spiking network produced, emitted once per step. It owns its arrays.
 *
 * @param step          the step number its input carried
 * @param arrivalNanos  when the newest event of the step's input arrived (live streams), or 0
 * @param reset         the network was reset before this step
 * @param outputSpikes  classes whose output neuron fired in this step, ascending
 * @param prediction    argmax of the output spike counts since the last reset, ties (and
 *                      silence) broken by the output membrane; -1 for a network that stops
 *                      before its output layer (SPIKE-NORM probing)
 * @param layerSpikes   spikes per neural layer in this step
 * @param synapticOps   accumulates caused by this step's non-zero inputs of conv and dense layers
 */
public record StepOutcome(int step, long arrivalNanos, boolean reset, int[] outputSpikes, int prediction,
                          int[] layerSpikes, long synapticOps) {
}
