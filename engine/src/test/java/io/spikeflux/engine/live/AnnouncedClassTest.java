package io.spikeflux.engine.live;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AnnouncedClassTest {

    @Test
    void aNewLeaderIsAnnouncedOnlyAfterHoldingTheLeadWithEnoughShare() {
        AnnouncedClass a = new AnnouncedClass(new Hysteresis(20, 0.4), 1000); // 20 steps of 1 ms
        assertEquals(-1, a.update(3, 0.6, 0), "nothing is announced before a class has led for the hold");
        assertEquals(-1, a.update(3, 0.6, 19));
        assertEquals(3, a.update(3, 0.6, 20), "led for 20 ms with 60%: announced");
        // a near tie flickers: class 5 leads for 5 ms, then 3 again; the announcement does not move
        assertEquals(3, a.update(5, 0.51, 21));
        assertEquals(3, a.update(5, 0.51, 25));
        assertEquals(3, a.update(3, 0.52, 26));
        // 5 leads for good, but with too small a share it waits
        assertEquals(3, a.update(5, 0.35, 30));
        assertEquals(3, a.update(5, 0.35, 60), "held long enough, but only 35% of the spikes");
        assertEquals(5, a.update(5, 0.45, 61), "the share rises above 40%: announced");
        assertEquals(5, a.update(-1, 0, 62), "a silent window keeps the announcement");
        a.reset();
        assertEquals(-1, a.update(5, 0.9, 63), "a new sample starts with nothing announced");
    }

    @Test
    void withoutHysteresisEveryLeaderIsAnnouncedAtOnce() {
        AnnouncedClass a = new AnnouncedClass(Hysteresis.NONE, 1000);
        assertEquals(1, a.update(1, 0.3, 0));
        assertEquals(0, a.update(0, 0.31, 1));
        assertEquals(1, a.update(1, 0.3, 2));
    }
}
