package io.spikeflux.engine.live;

/**
 * How a live pipeline turns sensor time into decisions.
 *
 * @param dtUs        time step in µs of sensor time (the event models: 1000)
 * @param windowMs    decisions count output spikes of the last W ms
 * @param emitEveryMs a decision every E ms of sensor time (and whenever the top class changes)
 * @param idleResetMs reset membranes and window after an event gap of G ms; 0 = never
 * @param flushAfterMs close the open step when no packet has arrived for this long (wall time),
 *                     so the last step before a pause is decided without waiting for the pause to
 *                     end; events of a closed step that arrive later count as late; 0 = never
 */
public record LiveOptions(int dtUs, int windowMs, int emitEveryMs, int idleResetMs, int flushAfterMs) {

    public LiveOptions {
        if (dtUs <= 0 || windowMs <= 0 || emitEveryMs <= 0 || idleResetMs < 0 || flushAfterMs < 0) {
            throw new IllegalArgumentException("dt, window and emission period must be positive, idle reset and flush >= 0");
        }
    }

    /** Sensor-time only: steps close when a later event arrives. */
    public LiveOptions(int dtUs, int windowMs, int emitEveryMs, int idleResetMs) {
        this(dtUs, windowMs, emitEveryMs, idleResetMs, 0);
    }

    int windowSteps() {
        return Math.max(1, (int) ((long) windowMs * 1000 / dtUs));
    }

    int emitSteps() {
        return Math.max(1, (int) ((long) emitEveryMs * 1000 / dtUs));
    }
}
