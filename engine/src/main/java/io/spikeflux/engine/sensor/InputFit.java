package io.spikeflux.engine.sensor;

import io.spikeflux.aer.event.SensorGeometry;

/**
 * How any sensor is mapped onto a model's input: an optional region of interest (else the whole
 * sensor), then a {@link FitMode}. The same for offline recordings and live sensors.
 *
 * @param roi null for the whole sensor
 * @param fit how the region is scaled onto the input
 */
public record InputFit(RegionOfInterest roi, FitMode fit) {

    /** The whole sensor, centre-cropped to the input's aspect ratio and pooled onto it. */
    public static final InputFit DEFAULT = new InputFit(null, FitMode.CROP);

    public InputFit {
        java.util.Objects.requireNonNull(fit, "fit");
    }

    public SensorMapping mapping(SensorGeometry sensor, int inputWidth, int inputHeight) {
        RegionOfInterest region = roi == null ? RegionOfInterest.of(sensor) : roi.within(sensor);
        return new SensorMapping(sensor, region, fit, inputWidth, inputHeight);
    }

    @Override
    public String toString() {
        return (roi == null ? "whole sensor" : "roi " + roi) + ", fit " + fit.cliName();
    }
}
