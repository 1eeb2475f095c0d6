package io.spikeflux.cli;

import io.spikeflux.engine.calibrate.Calibration;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.Correction;
import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SpikingTopology;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How to calibrate thresholds; shared by {@code calibrate} and {@code evaluate MODEL.onnx}. */
final class CalibrationOptions {

    @Option(names = "--method", defaultValue = "spike-norm", paramLabel = "METHOD",
            description = "ann-max | ann-pNN.N (e.g. ann-p99.9) | spike-norm | spike-norm-pNN.NN (default ${DEFAULT-VALUE}).")
    CalibrationMethod method;

    @Option(names = "--reset", defaultValue = "zero", description = "zero (the paper) | subtract (default ${DEFAULT-VALUE}).")
    ResetMode reset;

    @Option(names = "--calibration-samples", defaultValue = "256", paramLabel = "N",
            description = "Training samples the thresholds are calibrated on (default ${DEFAULT-VALUE}, as the paper).")
    int samples;

    @Option(names = "--calibration-steps", defaultValue = "2500",
            description = "SPIKE-NORM steps per sample and layer (default ${DEFAULT-VALUE}, as the paper).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Poisson seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--residual", defaultValue = "paper",
            description = "paper: SPIKE-NORM outside residual stages, threshold 1 inside | all: SPIKE-NORM everywhere (default ${DEFAULT-VALUE}).")
    ResidualMode residual;

    @Option(names = "--initial-membrane", defaultValue = "0", paramLabel = "FRACTION",
            description = "Start membranes at this fraction of the threshold: 0 (the paper) or 0.5 (default ${DEFAULT-VALUE}).")
    float initialFraction;

    @Option(names = "--correction", defaultValue = "none", paramLabel = "KIND",
            description = "After the thresholds, layer by layer with the SNN in the loop (Li et al. 2021): none, bias "
                    + "(each channel's mean gap between ANN activation and SNN rate is added as a current) or potential "
                    + "(the gap times T is added to the initial membrane; default ${DEFAULT-VALUE}).")
    Correction correction;

    @Option(names = "--correction-steps", defaultValue = "64", paramLabel = "T",
            description = "Steps per sample of the correction's SNN runs; use the T you will run at (default ${DEFAULT-VALUE}).")
    int correctionSteps;

    @Option(names = "--dt-us", defaultValue = "1000", paramLabel = "US",
            description = "Event models: the time step in µs of sensor time the thresholds are calibrated for "
                    + "(default ${DEFAULT-VALUE}).")
    int dtUs;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The time step of a model calibrated now, checked like the other settings. */
    int dtUs() {
        if (dtUs <= 0) {
            throw new ParameterException(command.commandLine(), "--dt-us must be positive");
        }
        return dtUs;
    }

    /** The settings, checked before any long work starts (a usage error exits 2). */
    CalibrationSettings settings(int threads) {
        if (samples <= 0 || steps <= 0 || threads <= 0) {
            throw new ParameterException(command.commandLine(),
                    "--calibration-samples, --calibration-steps and --threads must be positive");
        }
        if (!(initialFraction >= 0f && initialFraction < 1f)) {
            throw new ParameterException(command.commandLine(), "--initial-membrane must be in [0, 1)");
        }
        Correction c = correction;
        dtUs();
        if (correctionSteps <= 0) {
            throw new ParameterException(command.commandLine(), "--correction-steps must be positive");
        }
        return new CalibrationSettings(method, reset, samples, steps, seed, residual, initialFraction, threads)
                .withCorrection(c, c == Correction.NONE ? 0 : correctionSteps);
    }

    static Calibration run(SpikingTopology topology, Dataset data, CalibrationSettings s, boolean forceProgress) {
        ProgressBar bar = new ProgressBar("calibrate " + s.method(), forceProgress);
        return Calibrator.run(topology, data, s, bar);
    }
}
