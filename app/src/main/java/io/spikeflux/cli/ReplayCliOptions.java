package io.spikeflux.cli;

import io.spikeflux.aer.udp.WireProtocol;
import picocli.CommandLine.Option;

/** How a camera replays recordings; shared by {@code camera} and {@code demo}. */
final class ReplayCliOptions {

    @Option(names = "--recordings", defaultValue = "30", paramLabel = "N",
            description = "Recordings replayed from a directory (default ${DEFAULT-VALUE}).")
    int recordings;

    @Option(names = "--speed", defaultValue = "1", description = "1 = real time, 10 = ten times faster, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--gap-ms", defaultValue = "100", description = "Silence between samples (default ${DEFAULT-VALUE}).")
    int gapMs;

    @Option(names = "--protocol", defaultValue = "jaer", paramLabel = "P",
            description = "jaer | spif | proto over UDP, or aedat4-tcp (camera: serve DV's AEDAT 4 stream on --listen; "
                    + "default ${DEFAULT-VALUE}).")
    String protocolName;

    boolean isTcp() {
        return ReceiverCliOptions.AEDAT4_TCP.equalsIgnoreCase(protocolName.strip());
    }

    /** The UDP protocol. */
    WireProtocol protocol() {
        if (isTcp()) {
            throw new IllegalArgumentException("--protocol " + ReceiverCliOptions.AEDAT4_TCP
                    + " serves a TCP stream with camera --listen; the demo uses UDP");
        }
        return WireProtocol.parse(protocolName);
    }

    @Option(names = "--events-per-datagram", defaultValue = "512", description = "At most this many events per datagram (default ${DEFAULT-VALUE}).")
    int perDatagram;
}
