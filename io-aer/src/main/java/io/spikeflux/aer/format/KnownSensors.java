package io.spikeflux.aer.format;

import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;

import java.util.Locale;

/** Pixel arrays of sensors named in recording headers (the table is {@link KnownCamera}). */
final class KnownSensors {

    private KnownSensors() {
    }

    /** Geometry for a chip, source or plugin name, or null when unknown. */
    static SensorGeometry byName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)x(\\d+)").matcher(n);
        if (m.find()) {
            return new SensorGeometry(HeaderLines.number("sensor width", m.group(1)), HeaderLines.number("sensor height", m.group(2)));
        }
        if (n.contains("dvs128")) {
            return KnownCamera.DVS128.geometry();
        }
        if (n.contains("davis346")) {
            return KnownCamera.DAVIS346.geometry();
        }
        if (n.contains("davis240")) {
            return KnownCamera.DAVIS240.geometry();
        }
        if (n.contains("dvxplorer")) {
            return (n.contains("lite") ? KnownCamera.DVXPLORER_LITE : KnownCamera.DVXPLORER).geometry();
        }
        if (n.contains("gen3")) {
            return KnownCamera.PROPHESEE_GEN3.geometry();
        }
        if (n.contains("gen4") || n.contains("imx636") || n.contains("gen41")) {
            return KnownCamera.PROPHESEE_GEN4.geometry();
        }
        if (n.contains("genx320")) {
            return KnownCamera.GENX320.geometry();
        }
        return null;
    }
}
