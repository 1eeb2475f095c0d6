package io.spikeflux.aer.event;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The event arrays of one packet: from a {@link PacketArrayPool}, whose receiver decodes a
 * datagram into them and whose packet's last reader gives them back with
 * {@link EventPacket#release()} (so a busy receiver decodes without garbage), or of their own
 * ({@link #unpooled}), for which release does nothing.
 */
public final class PacketArrays {

    private static final AtomicIntegerFieldUpdater<PacketArrays> GENERATION =
            AtomicIntegerFieldUpdater.newUpdater(PacketArrays.class, "generation");

    public final short[] x;
    public final short[] y;
    public final byte[] polarity;
    public final long[] timestampUs;
    private final PacketArrayPool pool;
    /**
     * Moves on with every release: a packet releases only the generation it was made with, so a
     * late second release (of a packet or a copy sharing its arrays) cannot give back arrays that
     * a later packet already owns.
     */
    private volatile int generation;

    PacketArrays(int capacity, PacketArrayPool pool) {
        this.x = new short[capacity];
        this.y = new short[capacity];
        this.polarity = new byte[capacity];
        this.timestampUs = new long[capacity];
        this.pool = pool;
    }

    /** Arrays of exactly {@code capacity} events from {@code pool}, or of their own when it is null. */
    public static PacketArrays take(PacketArrayPool pool, int capacity) {
        return pool == null ? new PacketArrays(capacity, null) : pool.take(capacity);
    }

    public int capacity() {
        return x.length;
    }

    int generation() {
        return generation;
    }

    /** Gives back arrays no packet was made of (a datagram found malformed while decoding). */
    public void discard() {
        release(generation);
    }

    void release(int madeAt) {
        if (pool != null && GENERATION.compareAndSet(this, madeAt, madeAt + 1)) {
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
