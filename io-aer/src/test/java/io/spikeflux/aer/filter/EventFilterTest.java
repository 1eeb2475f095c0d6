package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventFilterTest {

    private static final SensorGeometry G = new SensorGeometry(32, 24);

    @Test
    void backgroundActivityPassesEventsWithARecentNeighbour() {
        BackgroundActivityFilter f = new BackgroundActivityFilter(G, 2000);
        assertFalse(f.accept(10, 10, 1, 0), "nothing fired before");
        assertTrue(f.accept(11, 10, 1, 500), "its left neighbour fired 500 us ago");
        assertFalse(f.accept(20, 20, 0, 600), "isolated");
        assertTrue(f.accept(12, 11, 0, 2400), "diagonal neighbour (11,10) fired 1900 us ago");
        assertFalse(f.accept(10, 10, 1, 5000), "its neighbour (11,10) fired 4500 us ago: too long");
        assertFalse(f.accept(14, 11, 1, 2500), "two pixels away is not a neighbour");
        assertFalse(f.accept(0, 0, 1, 6000));
        assertTrue(f.accept(1, 1, 1, 6100), "corner pixels have neighbours too");
        assertFalse(f.accept(32, 0, 1, 6200), "off the sensor");
    }

    @Test
    void backgroundActivityKeepsTheNewestNeighbourWhenEventsComeOutOfOrder() {
        BackgroundActivityFilter f = new BackgroundActivityFilter(G, 1000);
        f.accept(9, 10, 1, 10_000);
        f.accept(11, 10, 1, 8_000); // a neighbour's event from earlier, delivered later
        assertTrue(f.accept(10, 10, 1, 10_500), "(9,10) fired 500 us before: the older stamp must not hide it");
    }

    @Test
    void backgroundActivityWorksOnEpochTimestampsAndAcrossItsRebase() {
        BackgroundActivityFilter f = new BackgroundActivityFilter(G, 2000);
        long t0 = 1_605_537_493_718_345L; // a DV recording's microseconds since 1970
        assertFalse(f.accept(10, 10, 1, t0));
        assertTrue(f.accept(11, 10, 1, t0 + 500));
        long later = t0 + (1L << 31); // past the int window of the stamps: the base moves on
        assertFalse(f.accept(11, 11, 1, later), "old stamps are forgotten, not wrapped into the window");
        assertTrue(f.accept(12, 11, 1, later + 100));
    }

    @Test
    void refractoryPeriodLetsOneEventPerPixelAndPeriodThrough() {
        RefractoryFilter f = new RefractoryFilter(G, 1000);
        assertTrue(f.accept(5, 5, 1, 0));
        assertFalse(f.accept(5, 5, 0, 500));
        assertTrue(f.accept(6, 5, 1, 600), "another pixel");
        assertFalse(f.accept(5, 5, 1, 999));
        assertTrue(f.accept(5, 5, 1, 1000), "a full period after the last passed event");
        assertFalse(f.accept(5, 5, 1, 1999));
    }

    @Test
    void hotPixelsAreLearnedFromTheirRateAgainstTheMedian() {
        HotPixelFilter f = new HotPixelFilter(G, 1000);
        long t = 0;
        for (int k = 0; k < 100; k++) {
            assertTrue(f.accept(3, 4, 1, t++), "everything passes while learning");
        }
        for (int px = 10; px < 20; px++) {
            assertTrue(f.accept(px, 2, 1, t++));
            assertTrue(f.accept(px, 2, 0, t++));
        }
        // median count 2: the limit is max(20, 10 x 2) = 20; (3,4) had 100
        assertFalse(f.accept(3, 4, 1, 2000));
        assertEquals(1, f.hotPixels());
        assertTrue(f.accept(10, 2, 1, 2001));
        HotPixelFilter listed = new HotPixelFilter(G, List.of(new int[]{7, 7}));
        assertFalse(listed.accept(7, 7, 1, 0));
        assertTrue(listed.accept(7, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HotPixelFilter(G, List.of(new int[]{40, 0})));
    }

    @Test
    void aChainAppliesItsFiltersInOrderAndCountsWhatEachRemoved() {
        FilterSpec spec = FilterSpec.parse("refractory:1ms, background:2ms");
        assertEquals(List.of("refractory", "background"), spec.names());
        FilterChain chain = spec.newChain(G);
        EventPacketBuilder b = new EventPacketBuilder("cam", G, 8);
        b.add(5, 5, 1, 0);      // refractory passes; background: no neighbour -> removed by background
        b.add(5, 5, 1, 100);    // removed by refractory (never reaches background)
        b.add(6, 5, 1, 200);    // passes both: (5,5) fired at 0 (its stamp counts even though it was removed)
        b.add(6, 5, 0, 300);    // refractory
        EventPacket in = b.build();
        assertEquals(1, chain.select(in));
        assertEquals(2, chain.survivors()[0], "the third event, read in place");
        assertEquals(6, in.x(chain.survivors()[0]));
        assertEquals(200, in.timestampUs(chain.survivors()[0]));
        assertEquals(2, spec.removed(0));
        assertEquals(1, spec.removed(1));
        EventPacketBuilder clean = new EventPacketBuilder("cam", G, 2);
        clean.add(20, 20, 1, 5000);
        clean.add(21, 20, 0, 5100);
        FilterChain refractory = FilterSpec.parse("refractory").newChain(G);
        assertEquals(2, refractory.select(clean.build()), "nothing removed");
        assertEquals(0, refractory.survivors()[0]);
        assertEquals(1, refractory.survivors()[1]);
    }

    @Test
    void specsNameTheirMistakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("median:3"));
        assertTrue(e.getMessage().contains("unknown filter 'median:3'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("background:2 ms later"));
        assertTrue(e.getMessage().contains("not a time"), e.getMessage());
        assertTrue(FilterSpec.parse("none").isEmpty());
    }

    /**
     * The packet loops are written without branches on the outcome: they must pass exactly the
     * events that one-by-one tests on a twin filter pass, over bursts of neighbouring events,
     * repeats, isolated noise, events off the sensor and epoch timestamps across a rebase.
     */
    @Test
    void packetLoopsPassExactlyWhatEventByEventTestsPass() {
        java.util.Random r = new java.util.Random(7);
        int n = 20_000;
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] pol = new byte[n];
        long[] t = new long[n];
        long now = 1_700_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            boolean burst = i > 0 && r.nextInt(4) > 0;
            if (!burst && r.nextInt(3) == 0) { // a hot pixel
                x[i] = 5;
                y[i] = 5;
                pol[i] = 1;
                now += 100 * r.nextInt(4);
                t[i] = now;
                continue;
            }
            x[i] = (short) (burst ? Math.floorMod(x[i - 1] + r.nextInt(3) - 1, 34) - 1 : r.nextInt(G.width()));
            y[i] = (short) (burst ? Math.floorMod(y[i - 1] + r.nextInt(3) - 1, 26) - 1 : r.nextInt(G.height()));
            pol[i] = (byte) r.nextInt(2);
            now += i == n / 2 ? (1L << 31) : 100 * r.nextInt(4);
            t[i] = now;
        }
        List<java.util.function.Supplier<EventFilter>> kinds = List.of(
                () -> new BackgroundActivityFilter(G, 2_000), () -> new RefractoryFilter(G, 1_000),
                () -> new HotPixelFilter(G, 300_000));
        for (var kind : kinds) {
            EventFilter packetWise = kind.get();
            EventFilter eventWise = kind.get();
            int passedByPackets = 0;
            int passedByEvents = 0;
            for (int from = 0; from < n; from += 700) {
                int size = Math.min(700, n - from);
                EventPacket p = new EventPacket("s", G, from, size, java.util.Arrays.copyOfRange(x, from, from + size),
                        java.util.Arrays.copyOfRange(y, from, from + size), java.util.Arrays.copyOfRange(pol, from, from + size),
                        java.util.Arrays.copyOfRange(t, from, from + size));
                int[] index = new int[size];
                for (int i = 0; i < size; i++) {
                    index[i] = i;
                }
                int kept = packetWise.filter(p, index, size);
                StringBuilder expected = new StringBuilder();
                StringBuilder actual = new StringBuilder();
                for (int i = 0; i < size; i++) {
                    if (eventWise.accept(p.x(i), p.y(i), p.polarity(i), p.timestampUs(i))) {
                        expected.append(i).append(' ');
                        passedByEvents++;
                    }
                }
                for (int k = 0; k < kept; k++) {
                    actual.append(index[k]).append(' ');
                }
                passedByPackets += kept;
                assertEquals(expected.toString(), actual.toString(), packetWise.name() + " in the packet from event " + from);
            }
            assertEquals(passedByEvents, passedByPackets);
            if (packetWise instanceof HotPixelFilter h) {
                assertTrue(h.hotPixels() >= 1, "the hot pixel is found");
            }
            assertTrue(passedByPackets > n / 10 && passedByPackets < n, packetWise.name() + " passed " + passedByPackets);
        }
    }
}
