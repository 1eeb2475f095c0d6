package io.spikeflux.engine.sensor;

import java.util.Locale;

/** How a sensor region is scaled onto a model input of another size or shape. */
public enum FitMode {
    /** Centre-crop the region to the input's aspect ratio, then scale: nothing distorted, borders lost. */
    CROP,
    /** Scale each axis on its own: everything kept, shapes distorted. */
    STRETCH,
    /** Scale uniformly to fit inside the input and centre it: everything kept, empty borders. */
    PAD;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FitMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fit '" + text + "'; use crop, stretch or pad");
        }
    }
}
