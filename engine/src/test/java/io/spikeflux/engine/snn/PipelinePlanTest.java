package io.spikeflux.engine.snn;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class PipelinePlanTest {

    @Test
    void balancedSplitMinimisesTheSlowestGroup() {
        // 1 + 5 | 1 + 1 + 4: both groups cost 6; any other cut leaves one group at 7 or more
        assertEquals(PipelinePlan.startingAt(5, 0, 2), PipelinePlan.balanced(new long[]{1, 5, 1, 1, 4}, 2));
        // never more groups than stages
        assertEquals(PipelinePlan.startingAt(2, 0, 1), PipelinePlan.balanced(new long[]{3, 3}, 5));
    }

    @Test
    void plansAreEqualWhenTheySplitAlike() {
        // the evaluator's trial stops when two rounds of profiling agree on the split
        PipelinePlan a = PipelinePlan.balanced(new long[]{80, 220, 70, 9, 140, 30, 70, 30, 4, 70, 13, 35, 9, 3, 12, 1, 1, 1}, 2);
        PipelinePlan b = PipelinePlan.startingAt(18, 0, 4);
        assertEquals(b, a);
        assertEquals(b.hashCode(), a.hashCode());
        assertNotEquals(PipelinePlan.startingAt(18, 0, 5), a);
        assertNotEquals(PipelinePlan.startingAt(19, 0, 4), a);
        assertNotEquals(PipelinePlan.single(18), a);
    }

    @Test
    void settlesOnceTwoRoundsAgreeAndTheSecondWasNotMuchFaster() {
        // VGG's rounds in a real run, shortened: a cold first round with the compiled stages
        // first in line, then the warm ones (stages 0-3 | 4-17 in ms: 389 | 424)
        long[] cold = {250, 120, 140, 2, 120, 45, 22, 45, 1, 30, 34, 40, 20, 5, 10, 2, 1, 1};
        long[] warming = {80, 240, 70, 9, 150, 33, 70, 30, 4, 75, 14, 36, 10, 3, 12, 1, 1, 1};
        long[] warm = {78, 212, 62, 8, 132, 30, 62, 27, 4, 66, 12, 32, 9, 2, 11, 1, 1, 1};
        AtomicInteger rounds = new AtomicInteger();
        Iterator<long[]> costs = List.of(cold, warming, warm, warm, warm).iterator();
        PipelinePlan plan = PipelinePlan.settled(() -> {
            rounds.incrementAndGet();
            return costs.next();
        }, 2, TimeUnit.SECONDS.toNanos(10));
        assertEquals(PipelinePlan.startingAt(18, 0, 4), plan);
        // warming and warm split alike, but warm was more than a tenth faster: one round more
        assertEquals(4, rounds.get());
    }

    @Test
    void aSplitThatNeverSettlesEndsAtTheLimit() {
        long[] a = {3, 1, 1, 1};
        long[] b = {1, 1, 1, 3};
        AtomicInteger rounds = new AtomicInteger();
        PipelinePlan plan = PipelinePlan.settled(() -> rounds.incrementAndGet() % 2 == 0 ? b : a, 2,
                TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(rounds.get() % 2 == 0 ? PipelinePlan.balanced(b, 2) : PipelinePlan.balanced(a, 2), plan);
        assertNotEquals(PipelinePlan.balanced(a, 2), PipelinePlan.balanced(b, 2));
    }
}
