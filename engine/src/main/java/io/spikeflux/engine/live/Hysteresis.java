package io.spikeflux.engine.live;

/**
 * When the announced class of a sensor may change: only after another class has led the window
 * for {@code holdMs} of sensor time with at least {@code minShare} of its output spikes. Without
 * it the announcement follows every flip of a near tie (0.49 against 0.51 within milliseconds).
 *
 * @param holdMs   sensor time a new leader must lead before it is announced; 0 = at once
 * @param minShare share of the window's output spikes it must have then (0 to 1)
 */
public record Hysteresis(int holdMs, double minShare) {

    /** Every change of the window's top class is announced. */
    public static final Hysteresis NONE = new Hysteresis(0, 0);

    /**
     * What {@code live} and {@code demo} use unless told otherwise ({@code --hold-ms 20
     * --min-share 0.4}): on the bundled demo, about 1.3 announced changes per sample instead of 2.8.
     */
    public static final Hysteresis DEFAULT = new Hysteresis(Defaults.HOLD_MS, Defaults.MIN_SHARE);

    /** The defaults as constants, for option declarations that need them at compile time. */
    public static final class Defaults {
        public static final int HOLD_MS = 20;
        public static final double MIN_SHARE = 0.4;

        private Defaults() {
        }
    }

    public Hysteresis {
        if (holdMs < 0 || !(minShare >= 0 && minShare <= 1)) {
            throw new IllegalArgumentException("hold must be >= 0 ms and the minimum share in [0, 1]");
        }
    }
}
