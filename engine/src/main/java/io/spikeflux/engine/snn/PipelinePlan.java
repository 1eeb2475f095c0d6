package io.spikeflux.engine.snn;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * How a network's stages are split into contiguous groups, each run on its own thread when
 * pipelined. The split never changes a result (a group integrates exactly what the one before
 * handed it for the same step), only how evenly the threads are loaded.
 */
public final class PipelinePlan {

    private final int[] starts;
    private final int stages;

    private PipelinePlan(int[] starts, int stages) {
        this.starts = starts;
        this.stages = stages;
    }

    /** All stages in one group: no hand-over between threads. */
    public static PipelinePlan single(int stages) {
        return new PipelinePlan(new int[]{0}, stages);
    }

    /** Groups starting at the given stage indices (the first must be 0, ascending). */
    public static PipelinePlan startingAt(int stages, int... starts) {
        if (starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException("the first group must start at stage 0: " + Arrays.toString(starts));
        }
        for (int g = 1; g < starts.length; g++) {
            if (starts[g] <= starts[g - 1] || starts[g] >= stages) {
                throw new IllegalArgumentException("group starts must ascend within 0.." + (stages - 1) + ": "
                        + Arrays.toString(starts));
            }
        }
        return new PipelinePlan(starts.clone(), stages);
    }

    /**
     * The split into (at most) {@code groups} contiguous groups that minimises the largest group
     * cost, the pipeline's bottleneck (linear partition by dynamic programming).
     */
    public static PipelinePlan balanced(long[] stageCost, int groups) {
        int n = stageCost.length;
        int k = Math.max(1, Math.min(groups, n));
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + Math.max(0, stageCost[i]);
        }
        // best[g][i]: the smallest bottleneck of the first i stages in g groups
        long[][] best = new long[k + 1][n + 1];
        int[][] cut = new int[k + 1][n + 1];
        for (long[] row : best) {
            Arrays.fill(row, Long.MAX_VALUE);
        }
        best[0][0] = 0;
        for (int g = 1; g <= k; g++) {
            for (int i = 1; i <= n; i++) {
                for (int j = g - 1; j < i; j++) {
                    if (best[g - 1][j] == Long.MAX_VALUE) {
                        continue;
                    }
                    long cost = Math.max(best[g - 1][j], prefix[i] - prefix[j]);
                    if (cost < best[g][i]) {
                        best[g][i] = cost;
                        cut[g][i] = j;
                    }
                }
            }
        }
        int[] starts = new int[k];
        for (int g = k, i = n; g >= 1; g--) {
            starts[g - 1] = cut[g][i];
            i = cut[g][i];
        }
        return new PipelinePlan(starts, n);
    }

    /**
     * The {@link #balanced} split by stage costs measured again and again ({@code rounds}) until
     * two rounds in a row were each not more than a tenth faster than the one before, or
     * {@code limitNanos} have passed: by the last two rounds' costs together. While the JIT is
     * still compiling the stages one after the other, each round runs much faster than the one
     * before, and its times say more about the order of compilation than about the stages' cost.
     * Two rounds rather than one because two splits of almost the same cost may take turns from
     * round to round.
     */
    public static PipelinePlan settled(Supplier<long[]> rounds, int groups, long limitNanos) {
        long deadline = System.nanoTime() + limitNanos;
        long[] last = rounds.get();
        int flat = 0;
        while (true) {
            long[] cost = rounds.get();
            long previous = Arrays.stream(last).sum();
            flat = Arrays.stream(cost).sum() > previous - previous / 10 ? flat + 1 : 0;
            if (flat == 2 || System.nanoTime() - deadline > 0) {
                long[] both = cost.clone();
                for (int k = 0; k < both.length; k++) {
                    both[k] += last[k];
                }
                return balanced(both, groups);
            }
            last = cost;
        }
    }

    public int groups() {
        return starts.length;
    }

    int from(int group) {
        return starts[group];
    }

    int to(int group) {
        return group + 1 < starts.length ? starts[group + 1] : stages;
    }

    int stages() {
        return stages;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelinePlan p && stages == p.stages && Arrays.equals(starts, p.starts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + stages;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int g = 0; g < groups(); g++) {
            s.append(g == 0 ? "" : " | ").append("stages ").append(from(g)).append('-').append(to(g) - 1);
        }
        return s.toString();
    }
}
