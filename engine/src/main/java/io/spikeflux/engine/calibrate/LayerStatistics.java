package io.spikeflux.engine.calibrate;

/** What calibration measured for one neural layer. */
public record LayerStatistics(String layer, float lambda, float threshold, String rule) {
}
