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
 */
public record FleetOptions(int engineThreads, int maxSensors, long evictAfterMs, long maxQueuedEvents) {

    public FleetOptions {
        if (engineThreads <= 0 || maxSensors <= 0 || evictAfterMs < 0 || maxQueuedEvents <= 0) {
            throw new IllegalArgumentException("engine threads, max sensors and max queued events must be positive, "
                    + "eviction time >= 0");
        }
    }

    /** One thread per core, 256 sensors, eviction after 30 s, a million queued events per sensor. */
    public static FleetOptions defaults() {
        return new FleetOptions(Runtime.getRuntime().availableProcessors(), 256, 30_000, 1_000_000);
    }
}
