package io.spikeflux.engine.snn;

/** What a neuron's membrane does after it fires. */
public enum ResetMode {
    /** Back to zero, as in Sengupta et al. 2019; the excess above threshold is lost. */
    ZERO,
    /** Subtract the threshold, keeping the excess (Rueckauer et al. 2017); fewer conversion errors. */
    SUBTRACT;

    public static ResetMode parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "zero" -> ZERO;
            case "subtract", "subtraction" -> SUBTRACT;
            default -> throw new IllegalArgumentException("unknown reset mode '" + s + "'; use zero or subtract");
        };
    }

    public String cliName() {
        return this == ZERO ? "zero" : "subtract";
    }
}
