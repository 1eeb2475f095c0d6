package io.spikeflux.engine.calibrate;

import java.util.Locale;

/**
 * How thresholds are chosen: from ANN activations (data-based normalisation, Diehl 2015, with
 * Rueckauer's percentile) or by SPIKE-NORM with the SNN in the loop (Sengupta 2019).
 *
 * @param kind       which family
 * @param percentile 100 for the maximum
 */
public record CalibrationMethod(Kind kind, double percentile) {

    public enum Kind { ANN_NORM, SPIKE_NORM }

    public CalibrationMethod {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
    }

    /** Parses {@code ann-max}, {@code ann-p99.9}, {@code spike-norm}, {@code spike-norm-p99.99}. */
    public static CalibrationMethod parse(String text) {
        String s = text.toLowerCase(Locale.ROOT).trim();
        Kind kind;
        String rest;
        if (s.startsWith("ann")) {
            kind = Kind.ANN_NORM;
            rest = s.substring(3);
        } else if (s.startsWith("spike-norm")) {
            kind = Kind.SPIKE_NORM;
            rest = s.substring("spike-norm".length());
        } else {
            throw new IllegalArgumentException(usage(text));
        }
        rest = rest.replaceFirst("^-", "");
        if (rest.isEmpty() || rest.equals("max")) {
            return new CalibrationMethod(kind, 100);
        }
        if (rest.startsWith("p")) {
            try {
                return new CalibrationMethod(kind, Double.parseDouble(rest.substring(1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage(text));
            }
        }
        throw new IllegalArgumentException(usage(text));
    }

    private static String usage(String text) {
        return "unknown calibration method '" + text + "'; use ann-max, ann-p99.9, spike-norm or spike-norm-p99.99";
    }

    @Override
    public String toString() {
        String base = kind == Kind.ANN_NORM ? "ann" : "spike-norm";
        if (percentile == 100) {
            return kind == Kind.ANN_NORM ? "ann-max" : "spike-norm";
        }
        String p = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
        return base + "-p" + p;
    }
}
