package io.spikeflux.aer.event;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Event arrays for decoded packets, recycled: one pool per receiver, taken from on its event loop
 * and given back from the threads that read the packets. Capacities come in powers of two from
 * 256 events up to the largest datagram; each size keeps a bounded number of free arrays (beyond
 * that, released arrays are left to the collector), and a datagram larger than the largest size
 * gets arrays of its own.
 */
public final class PacketArrayPool {

    private static final int SMALLEST = 256;

    private final ArrayBlockingQueue<PacketArrays>[] free;
    private final LongAdder made = new LongAdder();
    private final LongAdder reused = new LongAdder();

    /**
     * @param largestEvents the most events a packet from this pool holds
     * @param keepPerSize   free arrays kept per capacity
     */
    @SuppressWarnings("unchecked")
    public PacketArrayPool(int largestEvents, int keepPerSize) {
        int sizes = sizeIndex(Math.max(SMALLEST, largestEvents)) + 1;
        this.free = new ArrayBlockingQueue[sizes];
        for (int i = 0; i < sizes; i++) {
            free[i] = new ArrayBlockingQueue<>(keepPerSize);
        }
    }

    /** Arrays for at least {@code events} events, recycled when some are free. */
    public PacketArrays take(int events) {
        int size = sizeIndex(events);
        if (size >= free.length) {
            made.increment();
            return new PacketArrays(events, this);
        }
        PacketArrays a = free[size].poll();
        if (a == null) {
            made.increment();
            return new PacketArrays(SMALLEST << size, this);
        }
        reused.increment();
        return a;
    }

    void giveBack(PacketArrays a) {
        int size = sizeIndex(a.capacity());
        if (size < free.length && a.capacity() == SMALLEST << size) {
            free[size].offer(a);
        }
    }

    /** Arrays made so far (taking found none free). */
    public long made() {
        return made.sum();
    }

    /** Takes served by released arrays. */
    public long reused() {
        return reused.sum();
    }

    /** Arrays waiting to be taken again. */
    public int free() {
        int n = 0;
        for (ArrayBlockingQueue<PacketArrays> q : free) {
            n += q.size();
        }
        return n;
    }

    private static int sizeIndex(int events) {
        int capacity = Math.max(SMALLEST, Integer.highestOneBit(Math.max(1, events - 1)) << 1);
        return Integer.numberOfTrailingZeros(capacity / SMALLEST);
    }
}
