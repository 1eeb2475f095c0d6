package io.spikeflux.aer.udp;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;

import java.net.InetAddress;
import java.util.Set;

/**
 * How a receiver listens.
 *
 * @param host               bind address; 127.0.0.1 unless the user opens it up
 * @param port               UDP port (0 picks a free one)
 * @param protocol           wire protocol
 * @param geometry           sensor size for protocols that do not carry it (jAER, SPIF)
 * @param layout             jAER address layout
 * @param receiveBufferBytes requested SO_RCVBUF (the kernel may cap it: the effective size is logged)
 * @param maxDatagramBytes   larger datagrams are counted malformed
 * @param queuePackets       decoded packets buffered for slow consumers before dropping
 * @param allowedSources     source addresses accepted; empty = any
 * @param sources            names and geometries of known sources (a fleet's sensors file)
 * @param recyclePackets     decode into pooled arrays that the consumer gives back with
 *                           {@link io.spikeflux.aer.event.EventPacket#release()} (jAER and SPIF):
 *                           for a sole consumer that reads each packet once, such as a live session
 */
public record ReceiverOptions(String host, int port, WireProtocol protocol, SensorGeometry geometry,
                              AddressLayout layout, int receiveBufferBytes, int maxDatagramBytes, int queuePackets,
                              Set<InetAddress> allowedSources, SourceTable sources, boolean recyclePackets) {

    public static ReceiverOptions defaults(WireProtocol protocol, SensorGeometry geometry) {
        return new ReceiverOptions("127.0.0.1", protocol.defaultPort(), protocol, geometry, AddressLayout.forGeometry(geometry),
                8 << 20, 65_507, 4096, Set.of(), SourceTable.EMPTY, false);
    }

    public ReceiverOptions withPort(int p) {
        return new ReceiverOptions(host, p, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, queuePackets,
                allowedSources, sources, recyclePackets);
    }

    public ReceiverOptions withHost(String h) {
        return new ReceiverOptions(h, port, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, queuePackets,
                allowedSources, sources, recyclePackets);
    }

    public ReceiverOptions withQueuePackets(int n) {
        return new ReceiverOptions(host, port, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, n,
                allowedSources, sources, recyclePackets);
    }

    public ReceiverOptions withAllowedSources(Set<InetAddress> sources) {
        return new ReceiverOptions(host, port, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, queuePackets,
                Set.copyOf(sources), this.sources, recyclePackets);
    }

    public ReceiverOptions withLayout(AddressLayout l) {
        return new ReceiverOptions(host, port, protocol, geometry, l, receiveBufferBytes, maxDatagramBytes, queuePackets,
                allowedSources, sources, recyclePackets);
    }

    public ReceiverOptions withMaxDatagramBytes(int bytes) {
        if (bytes <= 0 || bytes > 65_507) {
            throw new IllegalArgumentException("maximum datagram size must be 1..65507 bytes, not " + bytes);
        }
        return new ReceiverOptions(host, port, protocol, geometry, layout, receiveBufferBytes, bytes, queuePackets,
                allowedSources, sources, recyclePackets);
    }

    public ReceiverOptions withSources(SourceTable table) {
        return new ReceiverOptions(host, port, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, queuePackets,
                allowedSources, table, recyclePackets);
    }

    public ReceiverOptions withReceiveBuffer(int bytes) {
        return new ReceiverOptions(host, port, protocol, geometry, layout, bytes, maxDatagramBytes, queuePackets,
                allowedSources, sources, recyclePackets);
    }

    /** Decode into pooled arrays, released by the consumer (see {@code recyclePackets}). */
    public ReceiverOptions withRecycledPackets() {
        return new ReceiverOptions(host, port, protocol, geometry, layout, receiveBufferBytes, maxDatagramBytes, queuePackets,
                allowedSources, sources, true);
    }
}
