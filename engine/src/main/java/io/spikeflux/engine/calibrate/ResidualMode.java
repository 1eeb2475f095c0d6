package io.spikeflux.engine.calibrate;

/** How SPIKE-NORM treats layers inside residual stages (paper section 6). */
public enum ResidualMode {
    /** SPIKE-NORM for the plain layers and the classifier, threshold 1 inside residual stages. */
    PAPER,
    /** SPIKE-NORM on every layer (the naive variant the paper shows losing accuracy). */
    ALL;

    public static ResidualMode parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "paper" -> PAPER;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("unknown residual mode '" + s + "'; use paper or all");
        };
    }
}
