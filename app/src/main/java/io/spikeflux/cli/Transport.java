package io.spikeflux.cli;

import io.spikeflux.aer.udp.WireProtocol;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;

/**
 * What {@code --protocol} names: one of the UDP datagram protocols, or iniVation DV's AEDAT 4
 * stream over TCP. Typed, so a misspelt protocol is a usage error before any work starts.
 */
enum Transport {
    JAER("jaer", WireProtocol.JAER),
    SPIF("spif", WireProtocol.SPIF),
    PROTO("proto", WireProtocol.PROTO),
    AEDAT4_TCP("aedat4-tcp", null);

    private final String cliName;
    private final WireProtocol wire;

    Transport(String cliName, WireProtocol wire) {
        this.cliName = cliName;
        this.wire = wire;
    }

    boolean isTcp() {
        return wire == null;
    }

    /** The UDP protocol, or null for the TCP stream. */
    WireProtocol wire() {
        return wire;
    }

    @Override
    public String toString() {
        return cliName;
    }

    static Transport parse(String text) {
        if (AEDAT4_TCP.cliName.equalsIgnoreCase(text.strip())) {
            return AEDAT4_TCP;
        }
        WireProtocol udp;
        try {
            udp = WireProtocol.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("unknown protocol '" + text + "'; use jaer, spif, proto or aedat4-tcp");
        }
        for (Transport t : values()) {
            if (t.wire == udp) {
                return t;
            }
        }
        throw new IllegalStateException("no transport for " + udp);
    }

    /** For picocli's ${COMPLETION-CANDIDATES}. */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(Transport::toString).iterator();
        }
    }
}
