package io.spikeflux.cli;

import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.RegionOfInterest;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which camera the events come from and how its pixels are mapped onto the model's input. */
final class SensorCliOptions {

    @Option(names = "--sensor", paramLabel = "WxH",
            description = "Sensor size, e.g. 346x260, of jaer/spif sources (default: the model's input size; "
                    + "protobuf and AEDAT 4 streams carry their own) and of recordings whose files do not say "
                    + "(N-MNIST .bin: inferred as 34x34 or the 304x240 ATIS array).")
    SensorGeometry sensor;

    @Option(names = "--camera", paramLabel = "NAME",
            description = "Sensor size by camera: dvs128, davis240, davis346, dvxplorer, dvxplorer-lite, "
                    + "prophesee-gen3, prophesee-gen4, genx320, atis, nmnist.")
    KnownCamera camera;

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
        if (sensor != null && camera != null && !sensor.equals(camera.geometry())) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--sensor " + sensor + " and --camera "
                    + camera.cliName() + " (" + camera.geometry() + ") disagree; give one");
        }
        return sensor != null ? sensor : camera != null ? camera.geometry() : fallback;
    }

    InputFit fit() {
        return new InputFit(roi, fit == null ? FitMode.CROP : fit);
    }
}
