package io.spikeflux.engine.snn;

import org.junit.jupiter.api.Test;

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
}
