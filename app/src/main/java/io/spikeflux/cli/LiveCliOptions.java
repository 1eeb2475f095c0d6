package io.spikeflux.cli;

import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.Hysteresis;
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

    @Option(names = "--close-margin-us", defaultValue = "" + LiveOptions.DEFAULT_CLOSE_MARGIN_US, paramLabel = "US",
            description = "Decide a time step once the sensor's clock says it is over plus this margin for network "
                    + "jitter, rather than when the next event arrives; events of a closed step arriving later are "
                    + "counted as late; 0 = only later events close steps (default ${DEFAULT-VALUE}).")
    int closeMarginUs;

    @Option(names = "--hold-ms", defaultValue = "" + Hysteresis.Defaults.HOLD_MS, paramLabel = "MS",
            description = "Announce a new class only after it has led the window this long (sensor time); "
                    + "0 announces every change of the leader (default ${DEFAULT-VALUE}).")
    int holdMs;

    @Option(names = "--min-share", defaultValue = "" + Hysteresis.Defaults.MIN_SHARE, paramLabel = "SHARE",
            description = "... and only with at least this share of the window's output spikes (default ${DEFAULT-VALUE}).")
    double minShare;

    @Option(names = "--filter", paramLabel = "F[,F...]", defaultValue = "none",
            description = "Noise filters, applied in order per sensor: background[:2ms] (pass an event only if one of "
                    + "its 8 neighbours fired within the time), refractory[:1ms] (one event per pixel and period), "
                    + "hot-pixels[:1s] (learn pixels far above the median rate over that time) or hot-pixels:@FILE "
                    + "(x,y per line). Default: ${DEFAULT-VALUE}.")
    String filter;

    @Option(names = "--engine-threads", paramLabel = "N",
            description = "Threads the sensor pipelines are sharded over, each sensor on one (default: the cores).")
    Integer engineThreads;

    @Option(names = "--max-sensors", defaultValue = "256",
            description = "Sensor pipelines at once; packets of further new sources are refused and counted (default ${DEFAULT-VALUE}).")
    int maxSensors;

    @Option(names = "--evict-after-s", defaultValue = "30",
            description = "Close and free the pipeline of a sensor silent this long; a restarted camera gets a fresh one; "
                    + "0 = never (default ${DEFAULT-VALUE}).")
    int evictAfterS;

    @Option(names = "--max-queued-events", defaultValue = "1000000",
            description = "Events one sensor may have waiting for its pipeline; beyond that its own packets are dropped "
                    + "and counted, so a flooding sensor cannot delay the others (default ${DEFAULT-VALUE}).")
    long maxQueuedEvents;

    @Option(names = "--max-lag-ms", defaultValue = "200", paramLabel = "MS",
            description = "Under overload, packets that waited longer than this for their sensor's pipeline are shed "
                    + "(counted), so decisions stay this close to the camera (default ${DEFAULT-VALUE}; 0 = never shed).")
    long maxLagMs;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
            description = "Split each sensor's network stages into N groups on N threads of their own, balanced by "
                    + "their measured time; its engine thread then only bins and decides. For one or a few busy "
                    + "sensors, such as an HD camera (default ${DEFAULT-VALUE}: the network on the engine thread).")
    int pipeline;

    @Option(names = "--busy-poll-us", paramLabel = "US",
            description = "An engine thread keeps polling for packets and step timers this long after its last work "
                    + "instead of sleeping, so a busy camera's steps never wait for the thread to be woken (on a "
                    + "virtual machine that can take milliseconds); costs a core per busy engine thread; 0 = sleep at "
                    + "once (default: 0 for live, " + DEMO_BUSY_POLL_US + " for the demo).")
    Long busyPollUs;

    /** The demo shows the engine's latency: its engine threads poll while the camera streams. */
    static final long DEMO_BUSY_POLL_US = 100_000;

    /**
     * The engine options; these and the decision options out of range are usage errors of
     * {@code command}, found before the model loads.
     */
    FleetOptions fleet(picocli.CommandLine command, long defaultBusyPollUs) {
        try {
            options(1000); // the decision options checked with a nominal step; the model's comes later

            return new FleetOptions(engineThreads == null ? Runtime.getRuntime().availableProcessors() : engineThreads,
                    maxSensors, evictAfterS * 1000L, maxQueuedEvents, maxLagMs, pipeline,
                    busyPollUs == null ? defaultBusyPollUs : busyPollUs);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(command, e.getMessage());
        }
    }

    LiveOptions options(int dtUs) {
        return new LiveOptions(dtUs, windowMs, emitMs, idleResetMs, closeMarginUs,
                io.spikeflux.engine.sensor.SensorFits.all(io.spikeflux.engine.sensor.InputFit.DEFAULT),
                new Hysteresis(holdMs, minShare), io.spikeflux.aer.filter.FilterSpec.parse(filter));
    }
}
