package io.spikeflux.engine.calibrate;

import java.util.Locale;

/**
 * How thresholds are chosen: from ANN activations (data-based normalisation, Diehl 2015, with
 * Rueckauer's percentile) or by SPIKE-NORM with the SNN in the loop (Sengupta 2019).
 *
 * @param kind        which family
 * @param percentile  100 for the maximum
 * @param channelWise one lambda (ANN-norm) or threshold (SPIKE-NORM) per output channel instead of
 *                    per layer (the channel-wise normalisation of Kim et al. 2020, "Spiking-YOLO"),
 *                    which keeps channels with small activations from firing too rarely, as in
 *                    depthwise convs
 */
public record CalibrationMethod(Kind kind, double percentile, boolean channelWise) {

    public enum Kind { ANN_NORM, SPIKE_NORM }

    public CalibrationMethod {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
    }

    public CalibrationMethod(Kind kind, double percentile) {
        this(kind, percentile, false);
    }

    /**
     * Parses {@code ann-max}, {@code ann-p99.9}, {@code spike-norm}, {@code spike-norm-p99.99}, each
     * also with {@code -channel} appended.
     */
    public static CalibrationMethod parse(String text) {
        String s = text.toLowerCase(Locale.ROOT).trim();
        boolean channel = s.endsWith("-channel");
        if (channel) {
            s = s.substring(0, s.length() - "-channel".length());
        }
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
            return new CalibrationMethod(kind, 100, channel);
        }
        if (rest.startsWith("p")) {
            try {
                return new CalibrationMethod(kind, Double.parseDouble(rest.substring(1)), channel);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage(text));
            }
        }
        throw new IllegalArgumentException(usage(text));
    }

    private static String usage(String text) {
        return "unknown calibration method '" + text + "'; use ann-max, ann-p99.9, ann-p99.9-channel, spike-norm, "
                + "spike-norm-p99.99 or spike-norm-channel";
    }

    @Override
    public String toString() {
        String base = kind == Kind.ANN_NORM ? "ann" : "spike-norm";
        String suffix = channelWise ? "-channel" : "";
        if (percentile == 100) {
            return (kind == Kind.ANN_NORM ? "ann-max" : "spike-norm") + suffix;
        }
        String p = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
        return base + "-p" + p + suffix;
    }
}
