package io.spikeflux.aer.udp;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.event.TimestampUnwrapper;

/** Per-source decoding state: identity, geometry and 32-bit timestamp unwrapping. */
final class SourceState {

    final String sensorId;
    final SensorGeometry geometry;
    final AddressLayout layout;
    final TimestampUnwrapper time = new TimestampUnwrapper(32);
    final SequenceTracker sequence = new SequenceTracker();
    final SensorCounters counters;
    long packets;
    /** When its last datagram arrived (nanoTime); sources silent for long are retired. */
    long lastSeenNanos;

    SourceState(String sensorId, SensorGeometry geometry, AddressLayout layout, SensorCounters counters) {
        this.sensorId = sensorId;
        this.geometry = geometry;
        this.layout = layout;
        this.counters = counters;
    }
}
