package io.spikeflux.aer.event;

import java.util.Locale;

/**
 * Event cameras by name, with their pixel arrays: what {@code --camera} accepts. jAER and SPIF
 * datagrams do not carry a geometry, so a receiver needs it from here (or {@code --sensor WxH}).
 */
public enum KnownCamera {
    DVS128("dvs128", 128, 128, "iniVation DVS128"),
    DAVIS240("davis240", 240, 180, "iniVation DAVIS240"),
    DAVIS346("davis346", 346, 260, "iniVation DAVIS346"),
    DVXPLORER("dvxplorer", 640, 480, "iniVation DVXplorer"),
    DVXPLORER_LITE("dvxplorer-lite", 320, 240, "iniVation DVXplorer Lite"),
    PROPHESEE_GEN3("prophesee-gen3", 640, 480, "Prophesee Gen3 VGA (PPS3MVCD)"),
    PROPHESEE_GEN4("prophesee-gen4", 1280, 720, "Prophesee Gen4.1 / Sony IMX636 (HD)"),
    GENX320("genx320", 320, 320, "Prophesee GenX320"),
    ATIS("atis", 304, 240, "ATIS, as N-MNIST and N-Caltech101 were recorded"),
    NMNIST("nmnist", 34, 34, "N-MNIST's 34x34 crop of the ATIS array");

    private final String cliName;
    private final SensorGeometry geometry;
    private final String description;

    KnownCamera(String cliName, int width, int height, String description) {
        this.cliName = cliName;
        this.geometry = new SensorGeometry(width, height);
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public SensorGeometry geometry() {
        return geometry;
    }

    public String description() {
        return description;
    }

    /** The camera called {@code name} (case and {@code _}/{@code -} insensitive). */
    public static KnownCamera parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim().replace('_', '-');
        for (KnownCamera c : values()) {
            if (c.cliName.equals(n)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (KnownCamera c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.cliName).append(" (").append(c.geometry).append(')');
        }
        throw new IllegalArgumentException("unknown camera '" + name + "'; known: " + known);
    }
}
