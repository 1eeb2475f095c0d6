package io.spikeflux.aer.udp;

import java.util.Locale;

/** Event datagram protocols spoken over UDP. */
public enum WireProtocol {
    /** jAER unicast: big-endian int32 sequence, then int32 address + int32 timestamp per event. */
    JAER(8991),
    /** SPIF / aestream: little-endian 32-bit event words, each optionally followed by a timestamp word. */
    SPIF(3333),
    /** SpikeFlux's own protobuf EventPacketMessage, one per datagram. */
    PROTO(8992);

    private final int defaultPort;

    WireProtocol(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public static WireProtocol parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "jaer" -> JAER;
            case "spif" -> SPIF;
            case "proto", "protobuf" -> PROTO;
            default -> throw new IllegalArgumentException("unknown protocol '" + s + "'; use jaer, spif or proto");
        };
    }

    DatagramCodec codec() {
        return switch (this) {
            case JAER -> new JaerCodec();
            case SPIF -> new SpifCodec();
            case PROTO -> new ProtoCodec();
        };
    }
}
