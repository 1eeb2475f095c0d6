package io.spikeflux.cli;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.RegionOfInterest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which camera the events come from and how its pixels are mapped onto the model's input. */
final class SensorCliOptions {

    @CommandLine.Mixin
    SensorSizeOptions size = new SensorSizeOptions();

    @Option(names = "--roi", paramLabel = "X,Y,W,H",
            description = "Use only this region of the sensor (default: all of it).")
    RegionOfInterest roi;

    @Option(names = "--fit", paramLabel = "MODE", defaultValue = "crop",
            description = "Map the region onto the model's input: crop (centre-crop to the input's aspect ratio, "
                    + "then pool event counts), stretch (pool each axis on its own) or pad (pool uniformly, centred, "
                    + "empty borders). Default: ${DEFAULT-VALUE}.")
    FitMode fit;

    /** The sensor's geometry: --sensor, else --camera, else {@code fallback}. */
    SensorGeometry geometry(SensorGeometry fallback) {
        return size.geometry(fallback);
    }

    InputFit fit() {
        return new InputFit(roi, fit == null ? FitMode.CROP : fit);
    }
}
