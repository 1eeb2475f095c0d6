package io.spikeflux.engine.calibrate;

import io.spikeflux.engine.snn.SnnParameters;

import java.util.List;

/** The outcome of a calibration: the SNN parameters and what was measured per layer. */
public record Calibration(CalibrationSettings settings, SnnParameters parameters, List<LayerStatistics> layers,
                          double wallSeconds) {
    public Calibration {
        layers = List.copyOf(layers);
    }
}
