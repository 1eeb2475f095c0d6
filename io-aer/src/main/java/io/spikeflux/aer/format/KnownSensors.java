package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.util.Locale;

/** Pixel arrays of sensors named in recording headers. */
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
            return new SensorGeometry(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        if (n.contains("dvs128")) {
            return new SensorGeometry(128, 128);
        }
        if (n.contains("davis346")) {
            return new SensorGeometry(346, 260);
        }
        if (n.contains("davis240")) {
            return new SensorGeometry(240, 180);
        }
        if (n.contains("dvxplorer")) {
            return n.contains("lite") ? new SensorGeometry(320, 240) : new SensorGeometry(640, 480);
        }
        if (n.contains("gen3")) {
            return new SensorGeometry(640, 480);
        }
        if (n.contains("gen4") || n.contains("imx636") || n.contains("gen41")) {
            return new SensorGeometry(1280, 720);
        }
        if (n.contains("genx320")) {
            return new SensorGeometry(320, 320);
        }
        return null;
    }
}
