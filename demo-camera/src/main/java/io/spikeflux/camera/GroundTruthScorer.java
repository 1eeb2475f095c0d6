package io.spikeflux.camera;

import java.util.List;

/**
 * Scores live decisions against what the camera showed: per sample, the majority of the decisions
 * whose window ends while the sample is shown, once the window has had {@code settleUs} of it.
 */
public final class GroundTruthScorer {

    private final List<ScheduleEntry> schedule;
    private final int classes;
    private final long settleUs;
    private final int[][] votes;

    public GroundTruthScorer(List<ScheduleEntry> schedule, int classes, long settleUs) {
        this.schedule = List.copyOf(schedule);
        this.classes = classes;
        this.settleUs = settleUs;
        this.votes = new int[schedule.size()][classes];
    }

    /** Records a decision for the window ending at {@code windowEndUs}; silent windows (-1) do not vote. */
    public synchronized void decision(long windowEndUs, int topClass) {
        if (topClass < 0 || topClass >= classes) {
            return;
        }
        for (ScheduleEntry e : schedule) {
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

    public int samples() {
        return schedule.size();
    }
}
