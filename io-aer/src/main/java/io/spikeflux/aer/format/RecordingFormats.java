package io.spikeflux.aer.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The registry of recording formats: the one list a new format is added to. */
public final class RecordingFormats {

    public static final RecordingFormat AEDAT4 = new Aedat4Format();
    public static final RecordingFormat AEDAT31 = new Aedat31Format();
    public static final RecordingFormat AEDAT2 = new Aedat2Format();
    public static final RecordingFormat EVT3 = PropheseeRawFormat.EVT3;
    public static final RecordingFormat EVT2 = PropheseeRawFormat.EVT2;
    public static final RecordingFormat DAT = new DatFormat();
    public static final RecordingFormat NMNIST = new NmnistFormat();

    /** Every format, in the order detection tries them (magic numbers first, extensions last). */
    public static final List<RecordingFormat> ALL = List.of(AEDAT4, AEDAT31, AEDAT2, EVT3, EVT2, DAT, NMNIST);

    private static final int HEAD_BYTES = 4096;

    private RecordingFormats() {
    }

    /** A format by the name a user gave ({@code --format}, {@code --to}); case, dots and dashes ignored. */
    public static RecordingFormat parse(String name) {
        String key = normalise(name);
        for (RecordingFormat f : ALL) {
            if (normalise(f.name()).equals(key) || f.aliases().stream().anyMatch(a -> normalise(a).equals(key))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; use one of "
                + ALL.stream().map(RecordingFormat::name).collect(Collectors.joining(", ")));
    }

    /** The format a file is in, from its first bytes and its name. */
    public static RecordingFormat detect(Path file) throws IOException {
        byte[] head = new byte[HEAD_BYTES];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (RecordingFormat f : ALL) {
            if (f.recognises(text, name)) {
                return f;
            }
        }
        throw new IOException("unrecognised recording format (expected AEDAT 2/3.1/4 magic, a Prophesee '%' header, "
                + "or an N-MNIST .bin file)");
    }

    /** The writable format whose extension the file name has. */
    public static RecordingFormat forWriting(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (RecordingFormat f : ALL) {
            if (f.writable() && f.extensions().stream().anyMatch(name::endsWith)) {
                return f;
            }
        }
        throw new IllegalArgumentException("cannot tell the format from '" + file.getFileName() + "'; name it with one of "
                + ALL.stream().filter(RecordingFormat::writable).flatMap(f -> f.extensions().stream())
                .collect(Collectors.joining(", ")) + " or give --to");
    }

    static String writableNames() {
        return ALL.stream().filter(RecordingFormat::writable).map(RecordingFormat::name).collect(Collectors.joining(", "));
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace(".", "").replace("-", "");
    }
}
