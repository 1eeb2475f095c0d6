package io.spikeflux.aer.udp;

import java.util.Arrays;

/**
 * Loss, duplication and reordering from datagram sequence numbers. From the first number on,
 * every number up to the newest is either seen or counted lost; the last {@value #HISTORY}
 * numbers are remembered as a bitmap, so a datagram from behind is told apart exactly: one seen
 * before is a duplicate (dropped); one counted lost turns that loss into a reordering when it is
 * less than {@value #REORDER_WINDOW} behind (delivered), or into a late datagram (dropped: its step
 * has long closed); one from before the first number (or the last resync) was never counted and
 * is late.
 *
 * <p>A jump that no network makes is not loss: {@value #HISTORY} or more back is a sender restart
 * (or jAER's wrap to 0), more than {@value #STRAY_DISTANCE} forward a stray or corrupt number; both
 * resynchronise and are counted. Smaller ones are found out by what follows them, after
 * {@value #RUN_TO_RESYNC} datagrams in a row from behind: all duplicates or from before the start
 * mean the sender restarted; late ones right after a forward jump of more than the reorder window
 * mean that jump was a stray. Either way the tracker resynchronises to the stream (the run's
 * first {@value #RUN_TO_RESYNC} - 1 stay counted as what they looked like), and a stray's gap is
 * not counted as loss. Late datagrams after in-order ones are a delayed burst: they stay late.
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
    /** The first number, or the one resynchronised to: the numbers before it were never counted. */
    private long floor;
    private long lost;
    private long duplicated;
    private long reordered;
    private long late;
    private long resyncs;
    /** Datagrams from behind in a row, and how many of them were recovered losses (counted late). */
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
            if (gap >= HISTORY) {
                Arrays.fill(seen, 0L);
            } else {
                clear(highest + 1, gap);
            }
            set(seq);
            highest = seq;
            return Verdict.FRESH;
        }
        boolean beforeStart = seq < floor;
        boolean duplicate = !beforeStart && isSet(seq);
        if (!beforeStart && !duplicate && highest - seq < REORDER_WINDOW) {
            set(seq);
            lost--;
            reordered++;
            behindRun = 0;
            behindRunLate = 0;
            return Verdict.FRESH;
        }
        boolean recovered = !beforeStart && !duplicate;
        behindRun++;
        if (recovered) {
            behindRunLate++;
        }
        boolean restarted = behindRunLate == 0;
        if (behindRun >= RUN_TO_RESYNC && (restarted || jumpedFrom >= 0)) {
            // the stream is behind the newest number: the sender restarted, or the newest was a stray
            resyncs++;
            forgiveStrayGap(seq, behindRunLate - (recovered ? 1 : 0));
            resync(seq);
            return Verdict.FRESH;
        }
        if (duplicate) {
            duplicated++;
            return Verdict.DUPLICATE;
        }
        if (recovered) {
            set(seq);
            lost--;
        }
        late++;
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
        floor = seq;
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

    /** Clears the bits of the {@code count} (< HISTORY) numbers from {@code from} on, a word at a time. */
    private void clear(long from, long count) {
        int i = (int) Math.floorMod(from, (long) HISTORY);
        for (long left = count; left > 0; ) {
            int bit = i & 63;
            int take = (int) Math.min(left, 64 - bit);
            long bits = take == 64 ? -1L : ((1L << take) - 1) << bit;
            seen[i >>> 6] &= ~bits;
            left -= take;
            i = (i + take) & (HISTORY - 1);
        }
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
