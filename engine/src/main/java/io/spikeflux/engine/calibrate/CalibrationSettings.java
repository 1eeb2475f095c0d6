package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.snn.ResetMode;

/**
 * Everything a calibration run is configured with.
 *
 * @param method           ANN-norm or SPIKE-NORM, max or percentile
 * @param reset            reset mode of the SNN being calibrated
 * @param samples          calibration inputs (the paper: 256 training images)
 * @param steps            SPIKE-NORM steps per sample and layer (the paper: 2500)
 * @param seed             Poisson seed; sample i uses {@code seed + i}
 * @param residual         residual rules for SPIKE-NORM
 * @param initialFraction  membranes start at this fraction of vth
 * @param threads          worker threads
 * @param correction       layer-wise correction after the thresholds
 * @param correctionSteps  steps per sample of the correction's SNN runs
 */
public record CalibrationSettings(CalibrationMethod method, ResetMode reset, int samples, int steps, long seed,
                                  ResidualMode residual, float initialFraction, int threads, Correction correction,
                                  int correctionSteps) {

    public CalibrationSettings {
        java.util.Objects.requireNonNull(correction, "correction");
        if (correction != Correction.NONE && correctionSteps <= 0) {
            throw new IllegalArgumentException("a " + correction.cliName() + " correction needs a positive number of steps: "
                    + correctionSteps);
        }
    }

    /** Settings without a correction. */
    public CalibrationSettings(CalibrationMethod method, ResetMode reset, int samples, int steps, long seed,
                               ResidualMode residual, float initialFraction, int threads) {
        this(method, reset, samples, steps, seed, residual, initialFraction, threads, Correction.NONE, 0);
    }

    /** The same with a layer-wise correction of {@code steps} steps per sample. */
    public CalibrationSettings withCorrection(Correction c, int correctionSteps) {
        return new CalibrationSettings(method, reset, samples, steps, seed, residual, initialFraction, threads, c,
                correctionSteps);
    }
}
