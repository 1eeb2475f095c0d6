package io.spikeflux.aer.format;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** iniVation DV's AEDAT 4.0: a flatbuffer header, then LZ4/ZSTD-compressed flatbuffer packets. */
final class Aedat4Format extends AbstractRecordingFormat {

    Aedat4Format() {
        super("aedat4", "AEDAT 4.0", List.of("aedat40"), List.of(".aedat4"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        return head.startsWith("#!AER-DAT4");
    }

    @Override
    public Recording open(Path file) throws IOException {
        Aedat4Header h = Aedat4Header.read(file);
        return new Recording(file, this, h.geometry(), h.bodyOffset(), ByteOrder.LITTLE_ENDIAN,
                () -> new Aedat4Decoder(h.compression(), h.dataTablePosition(), h.eventStreams()));
    }
}
