package io.spikeflux.engine.live;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingWindowTest {

    @Test
    void countsTheLastWStepsOnly() {
        RollingWindow w = new RollingWindow(3, 4);
        w.push(new int[]{1, 1}, 2);
        w.push(new int[]{2}, 1);
        w.push(new int[]{}, 0);
        assertArrayEquals(new int[]{0, 2, 1, 0}, w.counts());
        assertEquals(1, w.top());
        w.push(new int[]{2, 2}, 2);
        assertArrayEquals(new int[]{0, 0, 3, 0}, w.counts(), "the first step fell out of the window");
        assertEquals(2, w.top());
        assertEquals(3, w.total());
    }

    @Test
    void silenceHasNoTopAndTiesGoToTheLowerClass() {
        RollingWindow w = new RollingWindow(2, 3);
        assertEquals(-1, w.top());
        w.push(new int[]{2, 1}, 2);
        assertEquals(1, w.top());
        w.clear();
        assertEquals(-1, w.top());
        assertEquals(0, w.total());
    }
}
