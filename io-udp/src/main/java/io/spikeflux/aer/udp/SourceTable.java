package io.spikeflux.aer.udp;

import io.spikeflux.aer.event.SensorGeometry;

import java.util.Map;

/**
 * Names and sizes of known sources of a fleet, by address: a datagram from {@code ip:port} (or
 * from {@code ip}, any port) becomes the stream of sensor {@code name} with that geometry instead
 * of the receiver's default. Immutable.
 */
public record SourceTable(Map<String, Entry> byAddress) {

    /** One known source. */
    public record Entry(String name, SensorGeometry geometry) {
    }

    public static final SourceTable EMPTY = new SourceTable(Map.of());

    public SourceTable {
        byAddress = Map.copyOf(byAddress);
    }

    /** The entry for {@code ip:port}, else for {@code ip}, else null. */
    public Entry lookup(String ip, int port) {
        Entry e = byAddress.get(ip + ":" + port);
        return e != null ? e : byAddress.get(ip);
    }
}
