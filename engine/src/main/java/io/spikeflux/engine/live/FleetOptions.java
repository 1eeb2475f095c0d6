package io.spikeflux.engine.live;

/**
 * How many sensors one engine serves and on how many threads.
 *
 * @param engineThreads   threads the sensor pipelines are sharded over; a sensor stays on one
 * @param maxSensors      pipelines at once; packets of further new sources are refused and counted
 * @param evictAfterMs    a sensor silent this long (wall time) has its pipeline closed (its last
 *                        decision flushed) and freed; a restarted camera gets a fresh one; 0 = never
 * @param maxQueuedEvents events a sensor may have waiting for its pipeline; beyond that its own
 *                        packets are dropped and counted, so a flooding source cannot delay the others
 * @param maxLagMs        a packet that waited this long (wall time since it arrived) for its sensor's
 *                        pipeline is shed, not classified, and counted: under overload decisions
 *                        stay this close to the camera instead of falling further behind; 0 = never
 * @param stageGroups     threads one sensor's network stages are split over ({@code --pipeline}),
 *                        besides its engine thread, which bins and decides; 1 = the engine thread
 *                        runs the network too. For a few busy sensors (an HD camera), not a fleet.
 * @param busyPollUs      an engine thread keeps polling for packets and timers this long after its
 *                        last work instead of sleeping, so that a busy sensor's wake-ups do not wait
 *                        for the operating system or hypervisor; costs a core per busy engine thread;
 *                        0 = sleep at once
 */
public record FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents, long maxLagMs,
                           int stageGroups, long busyPollUs) {

    public FleetOptions {
        if (engineThreads <= 0 || maxSensors <= 0 || evictAfterMs < 0 || maxQueuedEvents <= 0 || maxLagMs < 0
                || stageGroups <= 0 || busyPollUs < 0) {
            throw new IllegalArgumentException("engine threads, max sensors, max queued events and stage groups must be "
                    + "positive, eviction time, maximum lag and busy polling >= 0");
        }
    }

    /** The network on each sensor's engine thread, which sleeps when it has no work. */
    public FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents, long maxLagMs) {
        this(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, maxLagMs, 1, 0);
    }

    /** Without a lag bound. */
    public FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents) {
        this(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, 0);
    }

    /** Each sensor's network split over {@code groups} threads of its own. */
    public FleetOptions withStageGroups(int groups) {
        return new FleetOptions(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, maxLagMs, groups, busyPollUs);
    }

    /** Packets shed after waiting this long for their pipeline; 0 = never. */
    public FleetOptions withMaxLagMs(long ms) {
        return new FleetOptions(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, ms, stageGroups, busyPollUs);
    }

    /** Engine threads that poll this long after their last work before they sleep. */
    public FleetOptions withBusyPollUs(long micros) {
        return new FleetOptions(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, maxLagMs, stageGroups, micros);
    }

    /**
     * One thread per core, 256 sensors, eviction after 30 s, a million queued events per sensor, no
     * lag bound (the command line's {@code live} bounds the lag at 200 ms).
     */
    public static FleetOptions defaults() {
        return new FleetOptions(Runtime.getRuntime().availableProcessors(), 256, 30_000, 1_000_000);
    }
}
