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

    @Option(names = "--protocol", defaultValue = "jaer", description = "jaer | spif | proto (default ${DEFAULT-VALUE}).")
    WireProtocol protocol;

    @Option(names = "--events-per-datagram", defaultValue = "512", description = "At most this many events per datagram (default ${DEFAULT-VALUE}).")
    int perDatagram;
}
