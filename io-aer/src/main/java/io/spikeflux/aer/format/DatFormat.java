package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prophesee's older DAT: a {@code %} header, an event type and size byte, then 8-byte CD events. */
final class DatFormat extends AbstractRecordingFormat {

    DatFormat() {
        super("dat", "Prophesee DAT", List.of(), List.of(".dat"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        if (!head.startsWith("%")) {
            return false;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        return fileName.endsWith(".dat") || lower.contains("data file containing") || lower.contains("% version");
    }

    @Override
    public Recording open(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '%', null);
        SensorGeometry g = PropheseeHeaders.geometry(h);
        if (g == null) {
            g = new SensorGeometry(304, 240); // ATIS, the sensor of the DAT-era datasets (N-CARS, Gen1)
        }
        byte[] typeSize = new byte[2];
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.read(ByteBuffer.wrap(typeSize), h.bodyOffset()) < 2) {
                throw new IOException("at byte " + h.bodyOffset() + ": truncated: no event type and size bytes");
            }
        }
        if (typeSize[1] != 8) {
            throw new IOException("at byte " + (h.bodyOffset() + 1) + ": event size " + typeSize[1]
                    + " is not supported (only 8-byte CD events)");
        }
        return new Recording(file, this, g, h.bodyOffset() + 2, ByteOrder.LITTLE_ENDIAN, DatDecoder::new);
    }
}
