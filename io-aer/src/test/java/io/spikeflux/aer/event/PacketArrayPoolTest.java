package io.spikeflux.aer.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class PacketArrayPoolTest {

    private static final SensorGeometry G = new SensorGeometry(34, 34);

    private static EventPacket packet(PacketArrays a, int n) {
        for (int i = 0; i < n; i++) {
            a.x[i] = (short) (i % 34);
            a.y[i] = (short) (i / 34 % 34);
            a.timestampUs[i] = i;
        }
        return new EventPacket("cam", G, 1, n, a, 0L);
    }

    @Test
    void releasedArraysServeTheNextTakeOfTheirSize() {
        PacketArrayPool pool = new PacketArrayPool(8000, 4);
        PacketArrays a = pool.take(100);
        assertEquals(256, a.capacity(), "capacities are powers of two from 256");
        EventPacket p = packet(a, 100);
        assertEquals(33, p.x(33));
        p.release();
        assertSame(a, pool.take(200), "the next take of that size gets them back");
        assertEquals(1, pool.reused());
        assertEquals(1, pool.made());
        assertEquals(8192, pool.take(7874).capacity(), "jAER's largest datagram");
        assertEquals(2, pool.made());
    }

    @Test
    void aSecondReleaseIsIgnoredEvenOnceTheArraysHaveANewOwner() {
        PacketArrayPool pool = new PacketArrayPool(1000, 4);
        EventPacket p = packet(pool.take(10), 10);
        EventPacket copy = p.arrivedAt(7L);
        p.release();
        p.release();
        assertNotSame(pool.take(10), pool.take(10), "released twice, yet handed out once");

        PacketArrays a = pool.take(10);
        EventPacket first = packet(a, 10);
        first.release();
        EventPacket second = packet(pool.take(10), 10);
        first.release();
        copy.release();
        assertEquals(0, pool.free(), "stale releases give back nothing");
        assertEquals(5, second.x(5), "the arrays' new owner still reads its events");
        second.release();
        assertEquals(1, pool.free());
    }

    @Test
    void arraysOfAMalformedDatagramAreGivenBack() {
        PacketArrayPool pool = new PacketArrayPool(1000, 4);
        PacketArrays a = pool.take(300);
        a.discard();
        assertSame(a, pool.take(300));
        PacketArrays own = PacketArrays.take(null, 300);
        assertEquals(300, own.capacity(), "without a pool: arrays of their own, of the exact size");
        own.discard();
        packet(own, 3).release();
        assertEquals(0, pool.free());
    }

    @Test
    void aPacketReadAfterItsReleaseShowsNoEventOfTheSensor() {
        // the tests run with assertions on: released arrays are poisoned, so a consumer that
        // reads a packet after giving it back sees events off the sensor, not another datagram's
        PacketArrayPool pool = new PacketArrayPool(1000, 4);
        EventPacket p = packet(pool.take(50), 50);
        p.release();
        assertEquals(-1, p.x(20));
        assertEquals(-1, p.y(20));
    }

    @Test
    void oversizedAndSurplusArraysAreLeftToTheCollector() {
        PacketArrayPool pool = new PacketArrayPool(300, 1);
        PacketArrays big = pool.take(5000);
        assertEquals(5000, big.capacity(), "beyond the largest size: arrays of its own");
        packet(big, 10).release();
        assertNotSame(big, pool.take(5000));
        EventPacket a = packet(pool.take(10), 10);
        EventPacket b = packet(pool.take(10), 10);
        a.release();
        b.release();
        pool.take(10);
        pool.take(10);
        assertEquals(1, pool.reused(), "one free array kept per size");
    }

    @Test
    void packetsOfTheirOwnArraysIgnoreRelease() {
        EventPacket p = new EventPacket("cam", G, 1, 1, new short[]{3}, new short[]{4}, new byte[]{1}, new long[]{5});
        p.release();
        assertEquals(3, p.x(0));
    }
}
