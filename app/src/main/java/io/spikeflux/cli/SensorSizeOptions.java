package io.spikeflux.cli;

import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The size of a sensor whose events do not carry it (jAER and SPIF datagrams, N-MNIST files):
 * {@code --sensor WxH} or {@code --camera NAME}; each command gives its own fallback.
 */
final class SensorSizeOptions {

    @Option(names = "--sensor", paramLabel = "WxH",
            description = "Sensor size, e.g. 346x260, of jaer/spif sources (protobuf and AEDAT 4 streams carry their "
                    + "own) and of recordings whose files do not say (N-MNIST .bin: inferred as 34x34 or the 304x240 "
                    + "ATIS array). Default: the model's input in live, 346x260 in listen and bridge.")
    SensorGeometry sensor;

    @Option(names = "--camera", paramLabel = "NAME",
            description = "Sensor size by camera: dvs128, davis240, davis346, dvxplorer, dvxplorer-lite, "
                    + "prophesee-gen3 (gen3), prophesee-gen4 (gen4, imx636), genx320, atis, nmnist.")
    KnownCamera camera;

    /** The command (or options) these are mixed into, for usage errors that show its usage. */
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** The sensor's geometry: --sensor, else --camera, else {@code fallback}. */
    SensorGeometry geometry(SensorGeometry fallback) {
        if (sensor != null && camera != null && !sensor.equals(camera.geometry())) {
            CommandLine usage = mixee != null && mixee.commandLine() != null ? mixee.commandLine() : new CommandLine(this);
            throw new CommandLine.ParameterException(usage, "--sensor " + sensor + " and --camera "
                    + camera.cliName() + " (" + camera.geometry() + ") disagree; give one");
        }
        return sensor != null ? sensor : camera != null ? camera.geometry() : fallback;
    }

    /** Whether the user named a size at all. */
    boolean given() {
        return sensor != null || camera != null;
    }
}
