package io.spikeflux.aer.event;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The event arrays of one packet from a {@link PacketArrayPool}: a receiver decodes a datagram
 * into them, and the packet's last reader gives them back with {@link EventPacket#release()}, so a
 * busy receiver decodes without garbage.
 */
public final class PacketArrays {

    private static final AtomicIntegerFieldUpdater<PacketArrays> POOLED =
            AtomicIntegerFieldUpdater.newUpdater(PacketArrays.class, "pooled");

    public final short[] x;
    public final short[] y;
    public final byte[] polarity;
    public final long[] timestampUs;
    private final PacketArrayPool pool;
    /** 1 while the arrays wait in the pool: a second release of the same packet is ignored. */
    private volatile int pooled;

    PacketArrays(int capacity, PacketArrayPool pool) {
        this.x = new short[capacity];
        this.y = new short[capacity];
        this.polarity = new byte[capacity];
        this.timestampUs = new long[capacity];
        this.pool = pool;
    }

    public int capacity() {
        return x.length;
    }

    void taken() {
        POOLED.set(this, 0);
    }

    void release() {
        if (POOLED.compareAndSet(this, 0, 1)) {
            // with assertions on (the tests), a packet read after its release shows events off
            // every sensor instead of the next datagram's
            assert poison();
            pool.giveBack(this);
        }
    }

    private boolean poison() {
        Arrays.fill(x, (short) -1);
        Arrays.fill(y, (short) -1);
        return true;
    }
}
