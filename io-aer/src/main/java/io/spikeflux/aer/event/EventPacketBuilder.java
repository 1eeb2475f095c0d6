package io.spikeflux.aer.event;

/**
 * Collects decoded events into arrays and hands them out as {@link EventPacket}s of at most
 * {@code capacity} events. One builder per stream; not thread-safe.
 */
public final class EventPacketBuilder {

    public static final int DEFAULT_CAPACITY = 4096;

    private final String sensorId;
    private SensorGeometry geometry;
    private final int capacity;
    private long nextSequence = 1;
    private int size;
    private short[] x;
    private short[] y;
    private byte[] polarity;
    private long[] timestampUs;

    public EventPacketBuilder(String sensorId, SensorGeometry geometry, int capacity) {
        this.sensorId = sensorId;
        this.geometry = geometry;
        this.capacity = capacity;
        allocate();
    }

    private void allocate() {
        x = new short[capacity];
        y = new short[capacity];
        polarity = new byte[capacity];
        timestampUs = new long[capacity];
        size = 0;
    }

    public void add(int ex, int ey, int p, long t) {
        x[size] = (short) ex;
        y[size] = (short) ey;
        polarity[size] = (byte) p;
        timestampUs[size] = t;
        size++;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public SensorGeometry geometry() {
        return geometry;
    }

    /** Geometry can be learned late (e.g. from the first events of a headerless stream). */
    public void geometry(SensorGeometry g) {
        this.geometry = g;
    }

    /** Hands out the collected events and starts a new packet. */
    public EventPacket build() {
        return build(0L);
    }

    /** Hands out the collected events, stamped with when they arrived, and starts a new packet. */
    public EventPacket build(long arrivalNanos) {
        EventPacket p = new EventPacket(sensorId, geometry, nextSequence++, size, x, y, polarity, timestampUs, arrivalNanos);
        allocate();
        return p;
    }
}
