package io.spikeflux.aer.event;

/**
 * A packet of events from one sensor as parallel primitive arrays (struct of arrays), so that no
 * object exists per event. Timestamps are microseconds of sensor time. The arrays are owned by the
 * packet once built and must not be modified by readers of it.
 * <p>
 * A receiver that recycles its arrays ({@link PacketArrayPool}) hands out packets whose last
 * reader calls {@link #release()}; the packet must not be read after that. For every other packet
 * {@code release()} does nothing.
 */
public final class EventPacket {

    private final String sensorId;
    private final SensorGeometry geometry;
    private final long sequence;
    private final int size;
    private final short[] x;
    private final short[] y;
    private final byte[] polarity;
    private final long[] timestampUs;
    private final long arrivalNanos;
    /** The pooled arrays this packet reads, or null; {@code generation} is theirs when it was made. */
    private final PacketArrays recycled;
    private final int generation;

    public EventPacket(String sensorId, SensorGeometry geometry, long sequence, int size,
                       short[] x, short[] y, byte[] polarity, long[] timestampUs) {
        this(sensorId, geometry, sequence, size, x, y, polarity, timestampUs, 0L);
    }

    /**
     * @param arrivalNanos {@link System#nanoTime()} when the packet reached this process (receivers),
     *                     or 0 when unknown (files); live latency is measured from it
     */
    public EventPacket(String sensorId, SensorGeometry geometry, long sequence, int size,
                       short[] x, short[] y, byte[] polarity, long[] timestampUs, long arrivalNanos) {
        this(sensorId, geometry, sequence, size, x, y, polarity, timestampUs, arrivalNanos, null, 0);
    }

    /** A packet of the first {@code size} events of {@code arrays}, given back (if pooled) by {@link #release()}. */
    public EventPacket(String sensorId, SensorGeometry geometry, long sequence, int size, PacketArrays arrays,
                       long arrivalNanos) {
        this(sensorId, geometry, sequence, size, arrays.x, arrays.y, arrays.polarity, arrays.timestampUs, arrivalNanos,
                arrays, arrays.generation());
    }

    private EventPacket(String sensorId, SensorGeometry geometry, long sequence, int size, short[] x, short[] y,
                        byte[] polarity, long[] timestampUs, long arrivalNanos, PacketArrays recycled, int generation) {
        if (size > x.length || size > y.length || size > polarity.length || size > timestampUs.length) {
            throw new IllegalArgumentException("packet size " + size + " exceeds its arrays");
        }
        this.sensorId = sensorId;
        this.geometry = geometry;
        this.sequence = sequence;
        this.size = size;
        this.x = x;
        this.y = y;
        this.polarity = polarity;
        this.timestampUs = timestampUs;
        this.arrivalNanos = arrivalNanos;
        this.recycled = recycled;
        this.generation = generation;
    }

    /**
     * Gives pooled arrays back to their pool once this packet's last reader is done with it. Does
     * nothing for packets with arrays of their own, and nothing the second time for a packet (or
     * its copies sharing the arrays), even after the arrays went to another packet.
     */
    public void release() {
        if (recycled != null) {
            recycled.release(generation);
        }
    }

    public String sensorId() {
        return sensorId;
    }

    public SensorGeometry geometry() {
        return geometry;
    }

    /** Position of this packet in its stream, starting at 1. */
    public long sequence() {
        return sequence;
    }

    public int size() {
        return size;
    }

    public int x(int i) {
        return x[i];
    }

    public int y(int i) {
        return y[i];
    }

    /** 1 = ON (brightness increase), 0 = OFF. */
    public int polarity(int i) {
        return polarity[i];
    }

    public long timestampUs(int i) {
        return timestampUs[i];
    }

    public long firstTimestampUs() {
        return size == 0 ? Long.MIN_VALUE : timestampUs[0];
    }

    public long lastTimestampUs() {
        return size == 0 ? Long.MIN_VALUE : timestampUs[size - 1];
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** Same events under another identity, e.g. once a receiver knows which sensor sent them. */
    public EventPacket withIdentity(String newSensorId, long newSequence) {
        return new EventPacket(newSensorId, geometry, newSequence, size, x, y, polarity, timestampUs, arrivalNanos,
                recycled, generation);
    }

    /** The same events {@code offsetUs} later (a copy: packets are immutable; it shares no pooled arrays). */
    public EventPacket shiftedBy(long offsetUs) {
        long[] t = new long[size];
        for (int i = 0; i < size; i++) {
            t[i] = timestampUs[i] + offsetUs;
        }
        if (recycled != null) {
            return new EventPacket(sensorId, geometry, sequence, size, java.util.Arrays.copyOf(x, size),
                    java.util.Arrays.copyOf(y, size), java.util.Arrays.copyOf(polarity, size), t, arrivalNanos);
        }
        return new EventPacket(sensorId, geometry, sequence, size, x, y, polarity, t, arrivalNanos);
    }

    /** Same events, stamped with the time they arrived. */
    public EventPacket arrivedAt(long nanos) {
        return new EventPacket(sensorId, geometry, sequence, size, x, y, polarity, timestampUs, nanos, recycled,
                generation);
    }

    @Override
    public String toString() {
        return "EventPacket[" + sensorId + " #" + sequence + ", " + size + " events, " + geometry
                + (size > 0 ? ", t=" + firstTimestampUs() + ".." + lastTimestampUs() : "") + "]";
    }
}
