package io.spikeflux.engine.live;

import java.util.concurrent.atomic.AtomicLong;

/** What happened to the sensors of a live engine; read from any thread. */
public final class FleetCounters {

    final AtomicLong opened = new AtomicLong();
    final AtomicLong active = new AtomicLong();
    final AtomicLong evicted = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong refusedPackets = new AtomicLong();
    final AtomicLong refusedEvents = new AtomicLong();
    final AtomicLong droppedPackets = new AtomicLong();
    final AtomicLong droppedEvents = new AtomicLong();
    final AtomicLong shedPackets = new AtomicLong();
    final AtomicLong shedEvents = new AtomicLong();

    /** Sensor pipelines opened so far. */
    public long opened() {
        return opened.get();
    }

    /** Sensor pipelines open now. */
    public long active() {
        return active.get();
    }

    /** Pipelines closed after their sensor fell silent. */
    public long evicted() {
        return evicted.get();
    }

    /** Pipelines that failed (logged with the sensor id) and were closed. */
    public long failed() {
        return failed.get();
    }

    /** Packets of new sources refused because {@code maxSensors} pipelines were open. */
    public long refusedPackets() {
        return refusedPackets.get();
    }

    public long refusedEvents() {
        return refusedEvents.get();
    }

    /** Packets a sensor sent while its own queue was full, dropped. */
    public long droppedPackets() {
        return droppedPackets.get();
    }

    public long droppedEvents() {
        return droppedEvents.get();
    }

    /** Packets that waited longer than the maximum lag for their pipeline, shed unclassified. */
    public long shedPackets() {
        return shedPackets.get();
    }

    public long shedEvents() {
        return shedEvents.get();
    }
}
