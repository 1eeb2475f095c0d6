package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Prophesee's RAW files: a {@code %} header, then EVT 2.0 or EVT 3.0 words. */
final class PropheseeRawFormat extends AbstractRecordingFormat {

    static final PropheseeRawFormat EVT2 = new PropheseeRawFormat("evt2", "evt20", "Prophesee EVT 2.0 RAW",
            new String[]{"% evt 2", "format evt2"}, Evt2Decoder::new);
    static final PropheseeRawFormat EVT3 = new PropheseeRawFormat("evt3", "evt30", "Prophesee EVT 3.0 RAW",
            new String[]{"% evt 3", "format evt3"}, Evt3Decoder::new);

    private final String[] markers;
    private final Supplier<EventDecoder> decoders;

    private PropheseeRawFormat(String name, String alias, String title, String[] markers, Supplier<EventDecoder> decoders) {
        super(name, title, List.of(alias), List.of(".raw"));
        this.markers = markers;
        this.decoders = decoders;
    }

    @Override
    public boolean recognises(String head, String fileName) {
        if (!head.startsWith("%")) {
            return false;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        for (String m : markers) {
            if (lower.contains(m)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Recording open(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '%', "% end");
        SensorGeometry g = PropheseeHeaders.geometry(h);
        if (g == null) {
            g = new SensorGeometry(1280, 720); // the openeb default
        }
        return new Recording(file, this, g, h.bodyOffset(), ByteOrder.LITTLE_ENDIAN, decoders);
    }
}
