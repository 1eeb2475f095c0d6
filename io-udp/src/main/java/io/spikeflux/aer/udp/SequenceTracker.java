package io.spikeflux.aer.udp;

import java.util.Arrays;

/**
 * Loss, duplication and reordering from datagram sequence numbers. Every number up to the newest
 * is either seen or counted lost; the last {@value #HISTORY} numbers are remembered as a bitmap,
 * so a datagram from behind is told apart exactly: one seen before is a duplicate (dropped); one
 * counted lost turns that loss into a reordering when it is at most {@value #REORDER_WINDOW}
 * behind (delivered), or into a late datagram beyond that (dropped: its step has long closed).
 *
 * <p>A jump that no network makes is not loss: more than {@value #HISTORY} back is a sender
 * restart (or jAER's wrap to 0), more than {@value #STRAY_DISTANCE} forward a stray or corrupt
 * number; both resynchronise and are counted. A smaller stray jump forward, or a restart before
 * the history is full, is found out by what follows it: {@value #RUN_TO_RESYNC} datagrams in a row
 * that are late or duplicates mean the stream is behind the newest number, so it resynchronises to
 * them (the run's first datagrams stay counted as late or duplicated) instead of dropping the
 * stream.
 */
final class SequenceTracker {

    /** What became of a datagram. */
    enum Verdict { FRESH, DUPLICATE, LATE }

    private static final int HISTORY = 1 << 16;
    private static final int REORDER_WINDOW = 1024;
    private static final long STRAY_DISTANCE = 1L << 20;
    private static final int RUN_TO_RESYNC = 16;

    /** Bit {@code s mod HISTORY}: number s was seen (for the HISTORY numbers up to the newest). */
    private final long[] seen = new long[HISTORY / 64];
    private long highest = -1;
    private long lost;
    private long duplicated;
    private long reordered;
    private long late;
    private long resyncs;
    private int behindRun;
    private int behindRunLate;
    /** The newest number before the last forward jump of more than the reorder window, or -1 after a later fresh one. */
    private long jumpedFrom = -1;
    private long lostBeforeJump;

    /** Records one datagram: fresh ones are delivered, duplicates and late ones dropped. */
    Verdict accept(long seq) {
        boolean implausible = highest >= 0 && (seq <= highest - HISTORY || seq > highest + STRAY_DISTANCE);
        if (highest < 0 || implausible) {
            if (implausible) {
                resyncs++;
                forgiveStrayGap(seq, 0);
            }
            resync(seq);
            return Verdict.FRESH;
        }
        if (seq > highest) {
            behindRun = 0;
            behindRunLate = 0;
            long gap = seq - highest - 1;
            if (gap > REORDER_WINDOW) {
                jumpedFrom = highest;
                lostBeforeJump = lost;
            } else {
                jumpedFrom = -1;
            }
            lost += gap;
            for (long s = Math.max(highest + 1, seq - HISTORY + 1); s < seq; s++) {
                clear(s);
            }
            set(seq);
            highest = seq;
            return Verdict.FRESH;
        }
        boolean duplicate = isSet(seq);
        if (!duplicate && highest - seq < REORDER_WINDOW) {
            set(seq);
            lost--;
            reordered++;
            behindRun = 0;
            behindRunLate = 0;
            return Verdict.FRESH;
        }
        if (++behindRun == RUN_TO_RESYNC) {
            // the stream is behind the newest number (a stray jump, or a restart within the history)
            resyncs++;
            forgiveStrayGap(seq, behindRunLate);
            resync(seq);
            return Verdict.FRESH;
        }
        if (duplicate) {
            duplicated++;
            return Verdict.DUPLICATE;
        }
        set(seq);
        lost--;
        late++;
        behindRunLate++;
        return Verdict.LATE;
    }

    /**
     * When the stream resumes just after where it was before the last big forward jump, that jump
     * was a stray and its gap was not loss: lost becomes what the stream itself skipped since, less
     * the datagrams of the run already counted late.
     */
    private void forgiveStrayGap(long seq, int countedLate) {
        if (jumpedFrom >= 0 && seq > jumpedFrom && seq - jumpedFrom <= REORDER_WINDOW + RUN_TO_RESYNC) {
            lost = lostBeforeJump + (seq - jumpedFrom - 1) - countedLate;
        }
    }

    private void resync(long seq) {
        Arrays.fill(seen, 0L);
        highest = seq;
        behindRun = 0;
        behindRunLate = 0;
        jumpedFrom = -1;
        set(seq);
    }

    private boolean isSet(long s) {
        int i = (int) Math.floorMod(s, (long) HISTORY);
        return (seen[i >>> 6] & 1L << i) != 0;
    }

    private void set(long s) {
        int i = (int) Math.floorMod(s, (long) HISTORY);
        seen[i >>> 6] |= 1L << i;
    }

    private void clear(long s) {
        int i = (int) Math.floorMod(s, (long) HISTORY);
        seen[i >>> 6] &= ~(1L << i);
    }

    long lost() {
        return lost;
    }

    long duplicated() {
        return duplicated;
    }

    long reordered() {
        return reordered;
    }

    long late() {
        return late;
    }

    long resyncs() {
        return resyncs;
    }
}
