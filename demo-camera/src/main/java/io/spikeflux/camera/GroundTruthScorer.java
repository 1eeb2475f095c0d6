package io.spikeflux.camera;

import java.util.List;

/**
 * Scores live decisions against what the camera showed: per sample, the majority of the decisions
 * whose window ends while the sample is shown, once the window has had {@code settleUs} of it; and
 * the last decision of each sample (for a Poisson frame camera with an idle reset between images,
 * the decision on all of the image's T steps: what offline evaluation scores at T).
 */
public final class GroundTruthScorer {

    private final List<ScheduleEntry> schedule;
    private final int classes;
    private final long settleUs;
    private final int[][] votes;
    private final int[] last;
    private final long[] lastEndUs;
    /** Per sample: announced changes, decisions, correct decisions, time to the first correct one (µs, or -1). */
    private final int[] changes;
    private final int[] decisions;
    private final int[] correctDecisions;
    private final long[] firstCorrectUs;

    public GroundTruthScorer(List<ScheduleEntry> schedule, int classes, long settleUs) {
        this.schedule = List.copyOf(schedule);
        this.classes = classes;
        this.settleUs = settleUs;
        this.votes = new int[schedule.size()][classes];
        this.last = new int[schedule.size()];
        this.lastEndUs = new long[schedule.size()];
        this.changes = new int[schedule.size()];
        this.decisions = new int[schedule.size()];
        this.correctDecisions = new int[schedule.size()];
        this.firstCorrectUs = new long[schedule.size()];
        java.util.Arrays.fill(firstCorrectUs, -1);
        java.util.Arrays.fill(last, -1);
        java.util.Arrays.fill(lastEndUs, Long.MIN_VALUE);
    }

    /** Records a decision for the window ending at {@code windowEndUs}; silent windows (-1) do not vote. */
    public synchronized void decision(long windowEndUs, int topClass) {
        decision(windowEndUs, topClass, false);
    }

    /**
     * Records a decision; {@code changed} says the announced class changed with it (a change of
     * announcement the user sees).
     */
    public synchronized void decision(long windowEndUs, int topClass, boolean changed) {
        if (topClass < 0 || topClass >= classes) {
            return;
        }
        for (ScheduleEntry e : schedule) {
            if (windowEndUs > e.startUs() && windowEndUs <= e.endUs() + 1000) {
                int i = e.index();
                decisions[i]++;
                changes[i] += changed ? 1 : 0;
                if (topClass == e.label()) {
                    correctDecisions[i]++;
                    if (firstCorrectUs[i] < 0) {
                        firstCorrectUs[i] = windowEndUs - e.startUs();
                    }
                }
            }
        }
        for (ScheduleEntry e : schedule) {
            if (windowEndUs > e.startUs() && windowEndUs <= e.endUs() + 1000 && windowEndUs >= lastEndUs[e.index()]) {
                last[e.index()] = topClass;
                lastEndUs[e.index()] = windowEndUs;
            }
            long from = Math.min(e.startUs() + settleUs, (e.startUs() + e.endUs()) / 2);
            if (windowEndUs > from && windowEndUs <= e.endUs() + 1000) {
                votes[e.index()][topClass]++;
                return;
            }
        }
    }

    /** The majority decision per sample, or -1 for a sample that got no decision. */
    public synchronized int[] majority() {
        int[] m = new int[votes.length];
        for (int i = 0; i < votes.length; i++) {
            int best = -1;
            int count = 0;
            for (int c = 0; c < classes; c++) {
                if (votes[i][c] > count) {
                    best = c;
                    count = votes[i][c];
                }
            }
            m[i] = best;
        }
        return m;
    }

    /** Samples whose last decision was right. */
    public synchronized int correctLast() {
        int n = 0;
        for (int i = 0; i < last.length; i++) {
            if (last[i] == schedule.get(i).label()) {
                n++;
            }
        }
        return n;
    }

    public synchronized int correct() {
        int[] m = majority();
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == schedule.get(i).label()) {
                n++;
            }
        }
        return n;
    }

    /** Announced changes per sample, on average. */
    public synchronized double changesPerSample() {
        return schedule.isEmpty() ? 0 : (double) java.util.Arrays.stream(changes).sum() / schedule.size();
    }

    /** The share of all decisions during samples that named the sample's class. */
    public synchronized double correctDecisionShare() {
        int all = java.util.Arrays.stream(decisions).sum();
        return all == 0 ? 0 : (double) java.util.Arrays.stream(correctDecisions).sum() / all;
    }

    /** Time from each sample's start to its first correct decision (µs), for the samples that got one. */
    public synchronized long[] timesToFirstCorrectUs() {
        return java.util.Arrays.stream(firstCorrectUs).filter(t -> t >= 0).sorted().toArray();
    }

    public int samples() {
        return schedule.size();
    }
}
