package io.spikeflux.engine.calibrate;

import java.util.Locale;

/** A layer-wise correction with the SNN in the loop, run after the thresholds are set. */
public enum Correction {
    /** The thresholds alone. */
    NONE,
    /**
     * Bias correction (Li et al. 2021, "A free lunch from ANN"): layer by layer, the mean
     * per-channel gap between the ANN's activation and the SNN's firing rate on the calibration
     * data is added to the layer's input current every step, before the next layer is measured.
     */
    BIAS,
    /**
     * Potential correction (the same paper): the same gap, times the correction's steps T, is
     * added to each channel's initial membrane (in thresholds), so that a run of T steps makes up
     * the missing spikes; meant for runs of that T.
     */
    POTENTIAL;

    public String cliName() {
        return this == NONE ? "" : name().toLowerCase(Locale.ROOT);
    }

    public static Correction parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "", "none" -> NONE;
            case "bias" -> BIAS;
            case "potential" -> POTENTIAL;
            default -> throw new IllegalArgumentException("unknown correction '" + s + "': none, bias or potential");
        };
    }
}
