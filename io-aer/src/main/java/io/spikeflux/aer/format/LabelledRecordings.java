package io.spikeflux.aer.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A labelled dataset of recordings in the N-MNIST layout: {@code <dir>/<label>/<name>.bin},
 * optionally under a split directory such as {@code test/}, listed by a CSV
 * {@code index,label,file,...} when the directory has one.
 */
public final class LabelledRecordings {

    private LabelledRecordings() {
    }

    /** Recording files by extension: N-MNIST .bin, AEDAT 2/3.1 .aedat, AEDAT 4 .aedat4, Prophesee .raw/.dat. */
    private static boolean isRecording(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".bin") || n.endsWith(".aedat") || n.endsWith(".aedat4")
                || n.endsWith(".raw") || n.endsWith(".dat"));
    }

    /** The first {@code limit} recordings, in CSV order or else sorted by path. */
    public static List<LabelledRecording> list(Path dir, int limit) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory of labelled recordings");
        }
        List<LabelledRecording> out = new ArrayList<>();
        try {
            Path csv;
            try (Stream<Path> s = Files.list(dir)) {
                csv = s.filter(p -> p.toString().endsWith(".csv")).sorted().findFirst().orElse(null);
            }
            if (csv != null) {
                List<String> lines = Files.readAllLines(csv);
                for (int i = 1; i < lines.size() && out.size() < limit; i++) {
                    String[] f = lines.get(i).split(",");
                    if (f.length < 3) {
                        throw new IllegalArgumentException(csv + ": line " + (i + 1) + ": expected index,label,file");
                    }
                    out.add(new LabelledRecording(dir.resolve(f[2].trim()), Integer.parseInt(f[1].trim())));
                }
            } else {
                Path root = Files.isDirectory(dir.resolve("test")) ? dir.resolve("test") : dir;
                try (Stream<Path> s = Files.walk(root, 2)) {
                    for (Path p : s.filter(LabelledRecordings::isRecording).sorted().limit(limit).toList()) {
                        out.add(new LabelledRecording(p, Integer.parseInt(p.getParent().getFileName().toString())));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(dir + ": labels must be class numbers: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no labelled recordings (<label>/*.bin, .aedat, .aedat4, .raw, .dat) found");
        }
        return out;
    }
}
