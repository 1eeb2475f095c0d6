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
 */
public record FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents, long maxLagMs) {

    public FleetOptions {
        if (engineThreads <= 0 || maxSensors <= 0 || evictAfterMs < 0 || maxQueuedEvents <= 0 || maxLagMs < 0) {
            throw new IllegalArgumentException("engine threads, max sensors and max queued events must be positive, "
                    + "eviction time and maximum lag >= 0");
        }
    }

    /** Without a lag bound. */
    public FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents) {
        this(engineThreads, maxSensors, evictAfterMs, maxQueuedEvents, 0);
    }

    /**
     * One thread per core, 256 sensors, eviction after 30 s, a million queued events per sensor, no
     * lag bound (the command line's {@code live} bounds the lag at 200 ms).
     */
    public static FleetOptions defaults() {
        return new FleetOptions(Runtime.getRuntime().availableProcessors(), 256, 30_000, 1_000_000);
    }
}
