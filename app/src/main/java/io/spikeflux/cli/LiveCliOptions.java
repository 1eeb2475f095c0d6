package io.spikeflux.cli;

import io.spikeflux.engine.live.LiveOptions;
import picocli.CommandLine.Option;

/** Decision options shared by {@code live} and {@code demo}. */
final class LiveCliOptions {

    @Option(names = "--window-ms", defaultValue = "100", description = "Rolling window of output spikes (default ${DEFAULT-VALUE}).")
    int windowMs;

    @Option(names = "--emit-ms", defaultValue = "10", description = "A decision every E ms of sensor time (default ${DEFAULT-VALUE}).")
    int emitMs;

    @Option(names = "--idle-reset-ms", defaultValue = "50",
            description = "Reset the network after an event gap this long; 0 = never (default ${DEFAULT-VALUE}).")
    int idleResetMs;

    @Option(names = "--flush-ms", defaultValue = "10",
            description = "Close the open time step after this much wall time without packets, so decisions do not "
                    + "wait for the stream to resume; 0 = only later events close steps (default ${DEFAULT-VALUE}).")
    int flushMs;

    LiveOptions options(int dtUs) {
        return new LiveOptions(dtUs, windowMs, emitMs, idleResetMs, flushMs);
    }
}
