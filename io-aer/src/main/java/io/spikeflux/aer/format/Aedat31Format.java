package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** cAER's AEDAT 3.1: an ASCII header naming the sensor, then little-endian event packets. */
final class Aedat31Format extends AbstractRecordingFormat {

    Aedat31Format() {
        super("aedat3", "AEDAT 3.1", List.of("aedat31"), List.of(".aedat3"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        return head.startsWith("#!AER-DAT3");
    }

    @Override
    public Recording open(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '#', "#!END-HEADER");
        if (!h.lines().get(h.lines().size() - 1).equals("#!END-HEADER")) {
            throw new IOException("at byte " + h.bodyOffset() + ": AEDAT 3.1 header has no #!END-HEADER line");
        }
        SensorGeometry g = null;
        for (String l : h.lines()) {
            if (l.startsWith("#Source")) {
                g = KnownSensors.byName(l.substring(l.indexOf(':') + 1));
            }
        }
        if (g == null) {
            throw new IOException("at byte 0: AEDAT 3.1 header names no known sensor in its #Source line");
        }
        return new Recording(file, this, g, h.bodyOffset(), ByteOrder.LITTLE_ENDIAN, Aedat31Decoder::new);
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public RecordingWriter newWriter(Path file, SensorGeometry geometry) throws IOException {
        return new Aedat31Writer(file, geometry);
    }
}
