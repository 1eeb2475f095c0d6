package io.spikeflux.engine.snn;

/**
 * A network that imports and runs as an ANN but cannot be converted: one of its nodes has no
 * spiking form where it stands (a max pool over currents rather than spikes). The message names
 * the node and what it needs.
 */
public final class NoSpikingFormException extends IllegalArgumentException {

    public NoSpikingFormException(String message) {
        super(message);
    }
}
