package io.spikeflux.aer.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Tells a recording's format from its first bytes (and, for headerless N-MNIST, its extension). */
final class FormatDetector {

    private FormatDetector() {
    }

    static RecordingFormat detect(Path file) throws IOException {
        byte[] head = new byte[4096];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (text.startsWith("#!AER-DAT4")) {
            return RecordingFormat.AEDAT4;
        }
        if (text.startsWith("#!AER-DAT3")) {
            return RecordingFormat.AEDAT31;
        }
        if (text.startsWith("#!AER-DAT2") || text.startsWith("#!AER-DAT1")) {
            return RecordingFormat.AEDAT2;
        }
        if (text.startsWith("%")) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("% evt 3") || lower.contains("format evt3")) {
                return RecordingFormat.EVT3;
            }
            if (lower.contains("% evt 2") || lower.contains("format evt2")) {
                return RecordingFormat.EVT2;
            }
            if (name.endsWith(".dat") || lower.contains("data file containing") || lower.contains("% version")) {
                return RecordingFormat.DAT;
            }
        }
        if (name.endsWith(".bin")) {
            return RecordingFormat.NMNIST;
        }
        throw new IOException("unrecognised recording format (expected AEDAT 2/3.1/4 magic, a Prophesee '%' header, "
                + "or an N-MNIST .bin file)");
    }

}
