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
    PROPHESEE_GEN3("prophesee-gen3", 640, 480, "Prophesee Gen3 VGA (PPS3MVCD)", "gen3", "prophesee-vga"),
    PROPHESEE_GEN4("prophesee-gen4", 1280, 720, "Prophesee Gen4.1 / Sony IMX636 (HD)", "gen4", "gen4.1", "imx636",
            "prophesee-hd"),
    GENX320("genx320", 320, 320, "Prophesee GenX320", "prophesee-genx320"),
    ATIS("atis", 304, 240, "ATIS, as N-MNIST and N-Caltech101 were recorded"),
    NMNIST("nmnist", 34, 34, "N-MNIST's 34x34 crop of the ATIS array");

    private final String cliName;
    private final SensorGeometry geometry;
    private final String description;
    /** Other names users know the camera by (the sensor's, the generation's). */
    private final String[] aliases;

    KnownCamera(String cliName, int width, int height, String description, String... aliases) {
        this.cliName = cliName;
        this.geometry = new SensorGeometry(width, height);
        this.description = description;
        this.aliases = aliases;
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
            if (c.cliName.equals(n) || java.util.Arrays.asList(c.aliases).contains(n)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (KnownCamera c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.cliName);
            for (String alias : c.aliases) {
                known.append('/').append(alias);
            }
            known.append(" (").append(c.geometry).append(')');
        }
        throw new IllegalArgumentException("unknown camera '" + name + "'; known: " + known);
    }
}
