package io.spikeflux.engine.snn;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        PipelinePlan a = PipelinePlan.balanced(new long[]{80, 220, 70, 9, 140, 30, 70, 30, 4, 70, 13, 35, 9, 3, 12, 1, 1, 1}, 2);
        PipelinePlan b = PipelinePlan.startingAt(18, 0, 4);
        assertEquals(b, a);
        assertEquals(b.hashCode(), a.hashCode());
        assertNotEquals(PipelinePlan.startingAt(18, 0, 5), a);
        assertNotEquals(PipelinePlan.startingAt(19, 0, 4), a);
        assertNotEquals(PipelinePlan.single(18), a);
    }

    @Test
    void settlesWhenTwoRoundsInARowRanNoFasterAndSplitsByBoth() {
        // VGG-like rounds: a cold first round with the early-compiled stages looking cheap, then
        // warming, then flat. Stages 0-3 | 4-17 and 0-2 | 3-17 cost almost the same when warm.
        long[] cold = {250, 120, 140, 2, 120, 45, 22, 45, 1, 30, 34, 40, 20, 5, 10, 2, 1, 1};
        long[] warming = {80, 240, 70, 9, 150, 33, 70, 30, 4, 75, 14, 36, 10, 3, 12, 1, 1, 1};
        long[] warm = {78, 212, 62, 8, 132, 30, 62, 27, 4, 66, 12, 32, 9, 2, 11, 1, 1, 1};
        long[] warmLate = {79, 214, 64, 8, 130, 30, 61, 27, 4, 65, 12, 32, 9, 2, 11, 1, 1, 1};
        long[] warmEarly = {77, 213, 82, 20, 120, 31, 60, 26, 4, 60, 12, 30, 9, 2, 11, 1, 1, 1};
        assertEquals(PipelinePlan.startingAt(18, 0, 3), PipelinePlan.balanced(cold, 2));
        assertEquals(PipelinePlan.startingAt(18, 0, 4), PipelinePlan.balanced(warmLate, 2));
        assertEquals(PipelinePlan.startingAt(18, 0, 3), PipelinePlan.balanced(warmEarly, 2));
        AtomicInteger rounds = new AtomicInteger();
        Iterator<long[]> costs = List.of(cold, warming, warm, warmLate, warmEarly, warm).iterator();
        PipelinePlan plan = PipelinePlan.settled(() -> {
            rounds.incrementAndGet();
            return costs.next();
        }, 2, TimeUnit.SECONDS.toNanos(10));
        // warm was more than a tenth faster than warming; warmLate and warmEarly were not
        assertEquals(5, rounds.get());
        // warmLate alone would split 0-3 | 4-17, warmEarly alone 0-2 | 3-17: together 0-3 | 4-17
        assertEquals(PipelinePlan.startingAt(18, 0, 4), plan);
    }

    @Test
    void roundsThatKeepGettingFasterEndAtTheLimit() {
        AtomicInteger rounds = new AtomicInteger();
        PipelinePlan plan = PipelinePlan.settled(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            long scale = 1L << (60 - rounds.incrementAndGet()); // each round twice as fast
            return new long[]{3 * scale, scale, scale, scale};
        }, 2, TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(PipelinePlan.startingAt(4, 0, 1), plan);
        assertTrue(rounds.get() > 2 && rounds.get() < 60, rounds + " rounds");
    }
}
