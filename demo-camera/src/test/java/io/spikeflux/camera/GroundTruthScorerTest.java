package io.spikeflux.camera;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GroundTruthScorerTest {

    /** Sample 0 (class 3) is shown 0-100 ms, sample 1 (class 5) 200-300 ms; 20 ms to settle. */
    private static GroundTruthScorer scorer() {
        return new GroundTruthScorer(List.of(
                new ScheduleEntry(0, 3, 0, 100_000, "a.bin"),
                new ScheduleEntry(1, 5, 200_000, 300_000, "b.bin")), 10, 20_000);
    }

    @Test
    void theMajorityCountsSettledDecisionsOnly() {
        GroundTruthScorer s = scorer();
        // before the window has had 20 ms of sample 0: not a vote, however many
        for (long t = 1_000; t <= 20_000; t += 1_000) {
            s.decision(t, 7);
        }
        s.decision(30_000, 3);
        s.decision(40_000, 3);
        s.decision(50_000, 1);
        // in the gap: neither sample's
        s.decision(150_000, 1);
        s.decision(250_000, 5);
        assertArrayEquals(new int[]{3, 5}, s.majority());
        assertEquals(2, s.correct());
        s.decision(260_000, -1); // a silent window does not vote
        assertEquals(2, s.correct());
    }

    @Test
    void aSampleWithoutDecisionsHasNoMajority() {
        GroundTruthScorer s = scorer();
        s.decision(50_000, 3);
        assertArrayEquals(new int[]{3, -1}, s.majority());
        assertEquals(1, s.correct());
    }

    @Test
    void theLastDecisionOfEachSampleIsScoredToo() {
        GroundTruthScorer s = scorer();
        s.decision(90_000, 3);
        s.decision(100_500, 4); // within the 1 ms the scorer allows after the sample ends: its last
        s.decision(290_000, 2);
        s.decision(300_000, 5);
        assertEquals(1, s.correctLast(), "sample 0 ended on 4, sample 1 on 5");
    }

    @Test
    void changesShareAndTimeToTheFirstCorrectClass() {
        GroundTruthScorer s = scorer();
        // sample 0: 7 (a change), 7, 3 (a change) at 30 ms, 3; sample 1: 5 at 210 ms (a change), 5
        s.decision(10_000, 7, true);
        s.decision(20_000, 7, false);
        s.decision(30_000, 3, true);
        s.decision(40_000, 3, false);
        s.decision(210_000, 5, true);
        s.decision(220_000, 5, false);
        assertEquals(1.5, s.changesPerSample(), 1e-12, "three changes over two samples");
        assertEquals(4 / 6.0, s.correctDecisionShare(), 1e-12, "four of the six decisions named the class");
        assertArrayEquals(new long[]{10_000, 30_000}, s.timesToFirstCorrectUs(), "sorted, per sample");
    }
}
