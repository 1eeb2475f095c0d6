package io.spikeflux.aer.udp;

/**
 * Loss, duplication and reordering from datagram sequence numbers. A gap counts as lost; a
 * datagram from inside an earlier gap turns one lost into one reordered; one seen before is a
 * duplicate; one from a gap too old to remember ({@value #WINDOW} behind) is late: it was not lost,
 * but it is dropped. A jump of more than {@value #RESTART_DISTANCE} either way is not loss: far
 * backwards is a sender restart (or jAER's wrap to 0), far forwards a stray or corrupt number;
 * both resynchronise and are counted as such.
 */
final class SequenceTracker {

    /** What became of a datagram. */
    enum Verdict { FRESH, DUPLICATE, LATE }

    private static final int WINDOW = 1024;
    private static final long RESTART_DISTANCE = 1L << 20;

    private final boolean[] seen = new boolean[WINDOW];
    private long highest = -1;
    private long lost;
    private long duplicated;
    private long reordered;
    private long late;
    private long resyncs;

    /** Records one datagram: fresh ones are delivered, duplicates and late ones dropped. */
    Verdict accept(long seq) {
        boolean implausible = highest >= 0 && (seq < highest - RESTART_DISTANCE || seq > highest + RESTART_DISTANCE);
        if (highest < 0 || implausible) {
            if (implausible) {
                resyncs++;
            }
            java.util.Arrays.fill(seen, false);
            highest = seq;
            seen[slot(seq)] = true;
            return Verdict.FRESH;
        }
        if (seq > highest) {
            long gap = seq - highest - 1;
            lost += gap;
            for (long s = Math.max(highest + 1, seq - WINDOW + 1); s <= seq; s++) {
                seen[slot(s)] = false;
            }
            seen[slot(seq)] = true;
            highest = seq;
            return Verdict.FRESH;
        }
        if (highest - seq >= WINDOW) {
            // its gap was counted as lost; it arrived after all, too late to deliver
            late++;
            lost--;
            return Verdict.LATE;
        }
        if (seen[slot(seq)]) {
            duplicated++;
            return Verdict.DUPLICATE;
        }
        seen[slot(seq)] = true;
        reordered++;
        lost--;
        return Verdict.FRESH;
    }

    private static int slot(long seq) {
        return (int) Math.floorMod(seq, (long) WINDOW);
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
