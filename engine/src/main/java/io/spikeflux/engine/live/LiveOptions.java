package io.spikeflux.engine.live;

import io.spikeflux.aer.filter.FilterSpec;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.SensorFits;

/**
 * How a live pipeline turns sensor time into decisions.
 *
 * @param dtUs        time step in µs of sensor time (the event models: 1000)
 * @param windowMs    decisions count output spikes of the last W ms
 * @param emitEveryMs a decision every E ms of sensor time (and whenever the top class changes)
 * @param idleResetMs reset membranes and window after an event gap of G ms; 0 = never
 * @param closeMarginUs close the open step once the sensor's clock says it is over plus this
 *                      margin for network jitter (the sensor clock is tracked as an offset to wall
 *                      time from the packets' arrival), instead of waiting for an event of a later
 *                      step; events of a closed step that arrive later count as late; 0 = only
 *                      later events close steps
 * @param fits        how each sensor is mapped onto the model's input (region of interest, scaling)
 * @param hysteresis  when the announced class may change
 * @param filters     noise filters each sensor's events pass before binning (each sensor its own state)
 */
public record LiveOptions(int dtUs, int windowMs, int emitEveryMs, int idleResetMs, int closeMarginUs, SensorFits fits,
                          Hysteresis hysteresis, FilterSpec filters) {

    /** The default jitter margin: loopback and LAN cameras deliver a step's events well within it. */
    public static final int DEFAULT_CLOSE_MARGIN_US = 500;

    public LiveOptions {
        java.util.Objects.requireNonNull(fits, "fits");
        java.util.Objects.requireNonNull(hysteresis, "hysteresis");
        java.util.Objects.requireNonNull(filters, "filters");
        if (dtUs <= 0 || windowMs <= 0 || emitEveryMs <= 0 || idleResetMs < 0 || closeMarginUs < 0) {
            throw new IllegalArgumentException("dt, window and emission period must be positive, idle reset and "
                    + "close margin >= 0");
        }
    }

    /** Sensors mapped by {@link InputFit#DEFAULT}, every change of the leader announced. */
    public LiveOptions(int dtUs, int windowMs, int emitEveryMs, int idleResetMs, int closeMarginUs) {
        this(dtUs, windowMs, emitEveryMs, idleResetMs, closeMarginUs, SensorFits.all(InputFit.DEFAULT), Hysteresis.NONE,
                FilterSpec.NONE);
    }

    /** Sensor-time only: steps close when a later event arrives. */
    public LiveOptions(int dtUs, int windowMs, int emitEveryMs, int idleResetMs) {
        this(dtUs, windowMs, emitEveryMs, idleResetMs, 0);
    }

    public LiveOptions withFit(InputFit f) {
        return withFits(SensorFits.all(f));
    }

    public LiveOptions withFits(SensorFits f) {
        return new LiveOptions(dtUs, windowMs, emitEveryMs, idleResetMs, closeMarginUs, f, hysteresis, filters);
    }

    public LiveOptions withHysteresis(Hysteresis h) {
        return new LiveOptions(dtUs, windowMs, emitEveryMs, idleResetMs, closeMarginUs, fits, h, filters);
    }

    public LiveOptions withFilters(FilterSpec f) {
        return new LiveOptions(dtUs, windowMs, emitEveryMs, idleResetMs, closeMarginUs, fits, hysteresis, f);
    }

    int windowSteps() {
        return Math.max(1, (int) ((long) windowMs * 1000 / dtUs));
    }

    int emitSteps() {
        return Math.max(1, (int) ((long) emitEveryMs * 1000 / dtUs));
    }
}
