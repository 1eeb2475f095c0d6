package io.spikeflux.engine.live;

/** One sensor's announced class under a {@link Hysteresis}; stepped by its pipeline, one thread at a time. */
final class AnnouncedClass {

    private final int holdSteps;
    private final double minShare;
    private int announced = -1;
    private int candidate = -1;
    private long candidateSince;

    AnnouncedClass(Hysteresis h, int dtUs) {
        this.holdSteps = (int) ((long) h.holdMs() * 1000 / dtUs);
        this.minShare = h.minShare();
    }

    /**
     * The class announced after a step whose window leader is {@code top} (-1 for a silent window)
     * with {@code share} of the output spikes.
     */
    int update(int top, double share, long step) {
        if (top == announced || top < 0) {
            candidate = -1;
            return announced;
        }
        if (top != candidate) {
            candidate = top;
            candidateSince = step;
        }
        if (step - candidateSince >= holdSteps && share >= minShare) {
            announced = top;
            candidate = -1;
        }
        return announced;
    }

    /** A new sample (idle reset): nothing is announced until a class leads again. */
    void reset() {
        announced = -1;
        candidate = -1;
    }
}
