package io.spikeflux.aer.format;

/** Event recording formats SpikeFlux reads; the writable ones have a writer. */
public enum RecordingFormat {
    NMNIST("N-MNIST binary", true),
    AEDAT2("AEDAT 2.0", true),
    AEDAT31("AEDAT 3.1", true),
    AEDAT4("AEDAT 4.0", false),
    EVT2("Prophesee EVT 2.0 RAW", false),
    EVT3("Prophesee EVT 3.0 RAW", false),
    DAT("Prophesee DAT", false);

    private final String title;
    private final boolean writable;

    RecordingFormat(String title, boolean writable) {
        this.title = title;
        this.writable = writable;
    }

    public String title() {
        return title;
    }

    public boolean writable() {
        return writable;
    }

    /** Parses a user's name for a format: aedat2, aedat3, aedat31, aedat4, evt2, evt3, dat, nmnist. */
    public static RecordingFormat parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT).replace(".", "").replace("-", "")) {
            case "nmnist", "bin" -> NMNIST;
            case "aedat2", "aedat20", "aedat" -> AEDAT2;
            case "aedat3", "aedat31" -> AEDAT31;
            case "aedat4", "aedat40" -> AEDAT4;
            case "evt2", "evt20" -> EVT2;
            case "evt3", "evt30" -> EVT3;
            case "dat" -> DAT;
            default -> throw new IllegalArgumentException("unknown format '" + name
                    + "'; use nmnist, aedat2, aedat3, aedat4, evt2, evt3 or dat");
        };
    }
}
