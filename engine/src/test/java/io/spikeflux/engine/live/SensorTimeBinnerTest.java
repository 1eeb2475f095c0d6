package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.encode.SpikeStep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cutting a sensor's events into time steps by sensor time; no threads, no clocks. */
class SensorTimeBinnerTest {

    private static final SensorGeometry G = new SensorGeometry(34, 34);
    private final AtomicLong late = new AtomicLong();
    private final List<long[]> gaps = new ArrayList<>();

    private SensorTimeBinner binner(int maxEmptySteps, long idleGapUs) {
        return new SensorTimeBinner(34, 34, 1000, maxEmptySteps, idleGapUs, (gap, next) -> gaps.add(new long[]{gap, next}),
                late);
    }

    private static EventPacket events(long arrivalNanos, long... timestampsUs) {
        int n = timestampsUs.length;
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) i;
            y[i] = 1;
            p[i] = 1;
        }
        return new EventPacket("cam", G, 1, n, x, y, p, timestampsUs, arrivalNanos);
    }

    @Test
    void aStepClosesWhenAnEventOfALaterStepArrives() {
        SensorTimeBinner b = binner(100, 0);
        assertEquals(List.of(), b.accept(events(5, 10_000, 10_300, 10_999)), "step 0 is still open");
        List<SpikeStep> done = List.copyOf(b.accept(events(9, 11_000)));
        assertEquals(1, done.size());
        SpikeStep s = done.get(0);
        assertEquals(0, s.step());
        assertEquals(3, s.count(), "three ON events at (0,1), (1,1), (2,1)");
        assertArrayEquals(new int[]{68, 70, 72}, java.util.Arrays.copyOf(s.indices(), 3), "channel-last (y*34+x)*2 + ON");
        assertEquals(5, s.arrivalNanos(), "stamped with the arrival of its newest event");
        assertEquals(10_000 + 3 * 1000, b.stepStartUs(3), "steps count from the first event");
    }

    @Test
    void emptyStepsOfAShortSilenceAreCaughtUpAndMarkedSo() {
        SensorTimeBinner b = binner(100, 0);
        b.accept(events(1, 0));
        List<SpikeStep> done = List.copyOf(b.accept(events(2, 4_500)));
        assertEquals(4, done.size(), "step 0, then the empty steps 1, 2 and 3");
        assertEquals(1, done.get(0).count());
        for (int k = 1; k < 4; k++) {
            assertEquals(k, done.get(k).step());
            assertEquals(0, done.get(k).count());
            assertEquals(SensorTimeBinner.CATCH_UP, done.get(k).arrivalNanos(), "no decisions on stale steps");
        }
        assertTrue(gaps.isEmpty());
    }

    @Test
    void aSilenceLongerThanTheWindowIsSkippedAndReported() {
        SensorTimeBinner b = binner(100, 0);
        b.accept(events(1, 0));
        List<SpikeStep> done = List.copyOf(b.accept(events(2, 500_000)));
        assertEquals(1, done.size(), "only the open step; 499 empty steps are not simulated");
        assertEquals(1, gaps.size());
        assertEquals(500_000, gaps.get(0)[0]);
        assertEquals(500, gaps.get(0)[1], "the next event is in step 500");
    }

    @Test
    void lateEventsAreCountedAndDropped() {
        SensorTimeBinner b = binner(100, 0);
        b.accept(events(1, 0, 3_000));
        List<SpikeStep> done = List.copyOf(b.accept(events(2, 1_500, 3_200)));
        assertEquals(1, late.get(), "t = 1.5 ms belongs to a closed step");
        assertEquals(List.of(), done);
    }

    @Test
    void theOpenStepClosesWhenTheSensorClockSaysItIsOverPlusTheMargin() {
        SensorTimeBinner b = binner(100, 0);
        // events at 0 and 0.2 ms arrive at wall time 10 ms: the sensor clock runs 10 ms - 0.2 ms ahead
        b.accept(events(10_000_000, 0, 200));
        long due = 10_000_000 - 200_000 + 1_000_000 + 300_000;
        assertEquals(due, b.dueNanos(300_000), "end of step 0 (1 ms) on the wall clock, plus 0.3 ms");
        assertEquals(List.of(), b.closeIfDue(due - 1, 300_000), "not over yet");
        List<SpikeStep> closed = b.closeIfDue(due, 300_000);
        assertEquals(1, closed.size());
        assertEquals(2, closed.get(0).count());
        assertEquals(Long.MAX_VALUE, b.dueNanos(300_000), "nothing open");
        b.accept(events(11_500_000, 900));
        assertEquals(1, late.get(), "an event of the closed step that arrives afterwards is late");
    }

    @Test
    void theSensorClockFollowsTheLeastDelayedPacket() {
        SensorTimeBinner b = binner(100, 0);
        b.accept(events(5_000_000, 100));        // delayed by 4.9 ms (relative to sensor time 0.1 ms)
        b.accept(events(1_400_000, 600));        // a faster packet: offset 0.8 ms
        assertEquals(800_000 + 1_100_000, b.dueNanos(0), "the smaller offset wins; step 0 ends at 1.1 ms (it starts at the first event)");
    }

    @Test
    void filteredEventsAreBinnedInPlaceAsIfCopiedOut() {
        // what a noise filter passed, read through its index list, bins exactly like a packet of
        // just those events
        EventPacket all = events(7, 0, 200, 900, 1_100, 1_400, 2_050, 2_600, 3_100);
        int[] passed = {1, 2, 4, 5, 7, 99};
        int kept = 5;
        short[] x = new short[kept];
        short[] y = new short[kept];
        byte[] p = new byte[kept];
        long[] t = new long[kept];
        for (int k = 0; k < kept; k++) {
            x[k] = (short) all.x(passed[k]);
            y[k] = (short) all.y(passed[k]);
            p[k] = (byte) all.polarity(passed[k]);
            t[k] = all.timestampUs(passed[k]);
        }
        EventPacket copied = new EventPacket("cam", G, 1, kept, x, y, p, t, 7);
        SensorTimeBinner inPlace = binner(100, 0);
        SensorTimeBinner fromCopy = binner(100, 0);
        List<SpikeStep> a = List.copyOf(inPlace.accept(all, passed, kept));
        List<SpikeStep> b = List.copyOf(fromCopy.accept(copied));
        assertEquals(2, a.size(), "from the first passed event at 200 us: steps 0 and 1 closed, step 2 open");
        assertEquals(b.size(), a.size());
        for (int k = 0; k < a.size(); k++) {
            assertEquals(b.get(k).step(), a.get(k).step());
            assertEquals(b.get(k).count(), a.get(k).count());
            assertArrayEquals(java.util.Arrays.copyOf(b.get(k).indices(), b.get(k).count()),
                    java.util.Arrays.copyOf(a.get(k).indices(), a.get(k).count()));
        }
        assertEquals(fromCopy.stepStartUs(3), inPlace.stepStartUs(3), "steps count from the first event that passed");
    }
}
