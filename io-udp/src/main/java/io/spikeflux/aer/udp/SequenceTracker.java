package io.spikeflux.aer.udp;

/**
 * Loss, duplication and reordering from datagram sequence numbers. A gap counts as lost; a
 * datagram from inside an earlier gap turns one lost into one reordered; one seen before is a
 * duplicate. A jump far backwards is a sender restart (or jAER's wrap to 0) and resynchronises.
 */
final class SequenceTracker {

    private static final int WINDOW = 1024;
    private static final long RESTART_DISTANCE = 1L << 20;

    private final boolean[] seen = new boolean[WINDOW];
    private long highest = -1;
    private long lost;
    private long duplicated;
    private long reordered;

    /** Records one datagram; returns false for a duplicate (which should be dropped). */
    boolean accept(long seq) {
        if (highest < 0 || seq < highest - RESTART_DISTANCE) {
            java.util.Arrays.fill(seen, false);
            highest = seq;
            seen[slot(seq)] = true;
            return true;
        }
        if (seq > highest) {
            long gap = seq - highest - 1;
            lost += gap;
            for (long s = Math.max(highest + 1, seq - WINDOW + 1); s <= seq; s++) {
                seen[slot(s)] = false;
            }
            seen[slot(seq)] = true;
            highest = seq;
            return true;
        }
        if (highest - seq >= WINDOW || seen[slot(seq)]) {
            duplicated++;
            return false;
        }
        seen[slot(seq)] = true;
        reordered++;
        lost--;
        return true;
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
}
