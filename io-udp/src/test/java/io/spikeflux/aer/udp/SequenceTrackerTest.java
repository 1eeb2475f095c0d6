package io.spikeflux.aer.udp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loss, reordering and duplicates from sequence numbers, without sockets. */
class SequenceTrackerTest {

    private static SequenceTracker feed(long... seqs) {
        SequenceTracker t = new SequenceTracker();
        for (long s : seqs) {
            t.accept(s);
        }
        return t;
    }

    /** Feeds {@code from..to} in order, leaving out {@code skip}; returns how many were delivered. */
    private static long delivered(SequenceTracker t, long from, long to, long skip) {
        long n = 0;
        for (long s = from; s <= to; s++) {
            if (s != skip && t.accept(s) == SequenceTracker.Verdict.FRESH) {
                n++;
            }
        }
        return n;
    }

    private static long delivered(SequenceTracker t, long from, long to) {
        return delivered(t, from, to, Long.MIN_VALUE);
    }

    @Test
    void inOrderLosesNothing() {
        SequenceTracker t = feed(1, 2, 3, 4, 5);
        assertEquals(0, t.lost());
        assertEquals(0, t.reordered());
        assertEquals(0, t.duplicated());
    }

    @Test
    void aGapIsLostUntilItsDatagramArrivesLate() {
        SequenceTracker t = feed(1, 2, 6);
        assertEquals(3, t.lost());
        assertEquals(SequenceTracker.Verdict.FRESH, t.accept(4));
        assertEquals(2, t.lost());
        assertEquals(1, t.reordered());
    }

    @Test
    void aGapClearsTheHistorySlotsItsNumbersReuse() {
        // once the history is full, a gap's numbers land in slots that older numbers set: this
        // gap wraps around the bitmap's end and starts and ends inside words, and must clear
        // exactly its own slots, or its datagrams would be taken for duplicates when they arrive
        long history = 1 << 16;
        SequenceTracker t = new SequenceTracker();
        long last = 2 * history - 70;
        assertEquals(last + 1, delivered(t, 0, last));
        assertEquals(SequenceTracker.Verdict.FRESH, t.accept(2 * history + 200));
        assertEquals(269, t.lost());
        assertEquals(269, delivered(t, last + 1, 2 * history + 199));
        assertEquals(0, t.lost());
        assertEquals(269, t.reordered());
        assertEquals(0, t.duplicated());
        // the neighbours of the gap stay seen
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(last));
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(2 * history + 200));
    }

    @Test
    void aRepeatIsADuplicateAndIsDropped() {
        SequenceTracker t = feed(1, 2, 3);
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(2));
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(3));
        assertEquals(2, t.duplicated());
        assertEquals(0, t.lost());
    }

    @Test
    void aSenderRestartResynchronisesWithoutCountingLoss() {
        // a camera restarting counts from 1 again: far below the newest, so not a duplicate flood
        SequenceTracker t = feed(5_000_000, 5_000_001, 5_000_002, 1, 2, 3);
        assertEquals(0, t.lost());
        assertEquals(0, t.duplicated());
        assertEquals(SequenceTracker.Verdict.FRESH, t.accept(4));
        assertEquals(1, t.resyncs());
    }

    @Test
    void jaerWrapsItsIntSequenceToZeroAndGoesOn() {
        long max = Integer.MAX_VALUE;
        SequenceTracker t = feed(max - 2, max - 1, max, 0, 1, 2);
        assertEquals(0, t.lost());
        assertEquals(0, t.duplicated());
        t.accept(4);
        assertEquals(1, t.lost(), "loss after the wrap is still counted");
    }

    @Test
    void aStrayHugeNumberIsAResyncNotTwoBillionLostDatagrams() {
        SequenceTracker t = feed(97, 98, 99, 0x7FFF_FFFFL, 100, 101);
        assertEquals(0, t.lost());
        assertEquals(2, t.resyncs(), "forward to the stray, and back to the real stream");
        assertEquals(0, t.duplicated());
    }

    @Test
    void aVeryLateDatagramIsLateNotLostOrDuplicated() {
        SequenceTracker t = feed(1, 2);
        delivered(t, 4, 1500);
        assertEquals(1, t.lost(), "3 is missing");
        assertEquals(SequenceTracker.Verdict.LATE, t.accept(3), "1,497 behind the newest");
        assertEquals(0, t.lost(), "it was not lost after all");
        assertEquals(1, t.late());
        assertEquals(0, t.duplicated());
    }

    @Test
    void anOldDatagramSeenBeforeIsADuplicateNotLateAndLossNeverGoesNegative() {
        SequenceTracker t = new SequenceTracker();
        delivered(t, 1, 2000, 10);
        assertEquals(1, t.lost());
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(5), "1,995 behind, delivered before");
        assertEquals(SequenceTracker.Verdict.LATE, t.accept(10), "1,990 behind, counted lost");
        assertEquals(SequenceTracker.Verdict.DUPLICATE, t.accept(10), "and once more");
        assertEquals(0, t.lost());
        assertEquals(1, t.late());
        assertEquals(2, t.duplicated());
    }

    @Test
    void aStrayJumpWithinTheStrayDistanceDoesNotSwallowTheStream() {
        // beyond the history the stream's next datagram resynchronises; within it, a run of 16 does
        for (long stray : new long[]{500_003, 30_003}) {
            SequenceTracker t = feed(1, 2, 3);
            t.accept(stray);
            long delivered = delivered(t, 4, 200, 150);
            long dropped = stray > 65_536 ? 0 : 15;
            assertEquals(196 - dropped, delivered, "stray " + stray);
            assertEquals(dropped, t.late(), "stray " + stray);
            assertEquals(1, t.resyncs(), "stray " + stray);
            assertEquals(1, t.lost(), "150 is missing; the stray's gap is not loss (stray " + stray + ")");
        }
    }

    @Test
    void aRestartBeforeTheHistoryIsFullResynchronisesAfterARunOfDuplicates() {
        SequenceTracker t = new SequenceTracker();
        delivered(t, 1, 3000);
        assertEquals(85, delivered(t, 1, 100));
        assertEquals(15, t.duplicated());
        assertEquals(1, t.resyncs());
        assertEquals(0, t.lost());
    }

    @Test
    void aDelayedBurstAfterInOrderDatagramsStaysLateAndItsLossIsRecovered() {
        SequenceTracker t = new SequenceTracker();
        delivered(t, 1, 100);
        delivered(t, 2101, 2199);
        for (long s = 101; s <= 120; s++) {
            assertEquals(SequenceTracker.Verdict.LATE, t.accept(s), "delayed " + s);
        }
        for (long s = 2200; s <= 2299; s++) {
            assertEquals(SequenceTracker.Verdict.FRESH, t.accept(s));
        }
        assertEquals(2000 - 20, t.lost());
        assertEquals(20, t.late());
        assertEquals(0, t.resyncs());
    }

    @Test
    void datagramsFromBeforeTheFirstOneWereNeverCountedSoLossStaysAtZero() {
        SequenceTracker t = feed(5_000_000, 4_999_999);
        assertEquals(0, t.lost(), "reordered right at the start");
        assertEquals(1, t.late());
        // a receiver started while the camera ran, then the camera restarts
        SequenceTracker r = new SequenceTracker();
        delivered(r, 1000, 3000);
        assertEquals(85, delivered(r, 1, 100));
        assertEquals(0, r.lost());
        assertEquals(15, r.late());
        assertEquals(1, r.resyncs());
    }
}
