package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sensor geometry in a Prophesee {@code %} header, in any of the ways the SDK versions write it. */
final class PropheseeHeaders {

    private static final Pattern WIDTH = Pattern.compile("width=(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("height=(\\d+)");

    private PropheseeHeaders() {
    }

    /** The geometry, or null when the header names none. */
    static SensorGeometry geometry(HeaderLines h) {
        String geometry = h.value("% geometry");
        if (geometry != null) {
            return KnownSensors.byName(geometry);
        }
        String format = h.value("% format");
        if (format != null) {
            Matcher w = WIDTH.matcher(format);
            Matcher ht = HEIGHT.matcher(format);
            if (w.find() && ht.find()) {
                return new SensorGeometry(HeaderLines.number("% format width", w.group(1)),
                        HeaderLines.number("% format height", ht.group(1)));
            }
        }
        String width = h.value("% Width");
        String height = h.value("% Height");
        if (width != null && height != null) {
            return new SensorGeometry(HeaderLines.number("% Width", width), HeaderLines.number("% Height", height));
        }
        return KnownSensors.byName(h.value("% plugin_name"));
    }
}
