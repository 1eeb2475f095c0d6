package io.spikeflux.engine.live;

import java.util.Arrays;

/** Output spike counts per class over the last W steps, updated in O(classes) per step. */
final class RollingWindow {

    private final int[][] perStep;
    private final int[] sum;
    private int next;

    RollingWindow(int steps, int classes) {
        this.perStep = new int[steps][classes];
        this.sum = new int[classes];
    }

    /** Adds one step's output spikes (class of each) and forgets the oldest step. */
    void push(int[] spikes, int count) {
        int[] slot = perStep[next];
        for (int c = 0; c < sum.length; c++) {
            sum[c] -= slot[c];
        }
        Arrays.fill(slot, 0);
        for (int k = 0; k < count; k++) {
            slot[spikes[k]]++;
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] += slot[c];
        }
        next = (next + 1) % perStep.length;
    }

    void clear() {
        for (int[] s : perStep) {
            Arrays.fill(s, 0);
        }
        Arrays.fill(sum, 0);
    }

    int[] counts() {
        return sum.clone();
    }

    /** Output spikes of one class in the window. */
    int count(int cls) {
        return sum[cls];
    }

    /** Class with most spikes; -1 when the window is silent; ties go to the lower class index. */
    int top() {
        int best = -1;
        int bestCount = 0;
        for (int c = 0; c < sum.length; c++) {
            if (sum[c] > bestCount) {
                best = c;
                bestCount = sum[c];
            }
        }
        return best;
    }

    int total() {
        int n = 0;
        for (int c : sum) {
            n += c;
        }
        return n;
    }
}
