package io.spikeflux.engine.sensor;

import java.util.Map;

/** The fit of each named sensor of a fleet (a sensors file), and the fit of all others. */
public record SensorFits(InputFit defaultFit, Map<String, InputFit> bySensor) {

    public SensorFits {
        java.util.Objects.requireNonNull(defaultFit, "defaultFit");
        bySensor = Map.copyOf(bySensor);
    }

    public static SensorFits all(InputFit fit) {
        return new SensorFits(fit, Map.of());
    }

    public InputFit forSensor(String sensorId) {
        return bySensor.getOrDefault(sensorId, defaultFit);
    }
}
