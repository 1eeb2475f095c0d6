package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.snn.SpikingTopology;

/** Sets the firing thresholds of a converted network from calibration data. */
public interface Calibrator {

    Calibration calibrate(SpikingTopology topology, Dataset data, CalibrationSettings settings, ProgressListener progress);

    /** The calibrator of a method: the one place where methods map to their implementations. */
    static Calibrator of(CalibrationMethod method) {
        return switch (method.kind()) {
            case ANN_NORM -> AnnNormCalibrator.INSTANCE;
            case SPIKE_NORM -> SpikeNormCalibrator.INSTANCE;
        };
    }

    /** Calibrates with the calibrator of {@code settings.method()}, then applies the settings' correction. */
    static Calibration run(SpikingTopology topology, Dataset data, CalibrationSettings settings, ProgressListener progress) {
        Calibration c = of(settings.method()).calibrate(topology, data, settings, progress);
        return switch (settings.correction()) {
            case NONE -> c;
            case BIAS, POTENTIAL -> LayerwiseCorrector.apply(topology, data, c, progress);
        };
    }
}
