package io.spikeflux.cli;

import io.spikeflux.aer.udp.WireProtocol;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a camera replays recordings; shared by {@code camera} and {@code demo}. */
final class ReplayCliOptions {

    @Option(names = "--recordings", defaultValue = "30", paramLabel = "N",
            description = "Recordings replayed from a directory (default ${DEFAULT-VALUE}).")
    int recordings;

    @Option(names = "--speed", defaultValue = "1", description = "1 = real time, 10 = ten times faster, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--gap-ms", defaultValue = "100", description = "Silence between samples (default ${DEFAULT-VALUE}).")
    int gapMs;

    @Option(names = "--protocol", defaultValue = "jaer", paramLabel = "P", completionCandidates = Transport.Candidates.class,
            description = "${COMPLETION-CANDIDATES}: jaer, spif or proto over UDP, or aedat4-tcp (camera: serve DV's "
                    + "AEDAT 4 stream on --listen; default ${DEFAULT-VALUE}).")
    Transport transport;

    boolean isTcp() {
        return transport.isTcp();
    }

    /** The UDP protocol. */
    WireProtocol protocol() {
        if (transport.isTcp()) {
            throw new ParameterException(command.commandLine(), "--protocol " + transport
                    + " is served by camera --listen; this command sends UDP");
        }
        return transport.wire();
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--events-per-datagram", defaultValue = "512", description = "At most this many events per datagram (default ${DEFAULT-VALUE}).")
    int perDatagram;
}
