package io.spikeflux.aer.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ASCII header of a recording: the lines that begin with a marker ({@code #} for AEDAT,
 * {@code %} for Prophesee), CRLF or LF, and the byte offset where the binary body starts.
 */
record HeaderLines(List<String> lines, long bodyOffset) {

    private static final int MAX_HEADER = 1 << 20;

    /**
     * Reads header lines while they start with {@code marker}; stops after a line equal to
     * {@code terminator} (if not null) or before the first line not starting with the marker.
     */
    static HeaderLines read(Path file, char marker, String terminator) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            long offset = 0;
            StringBuilder line = new StringBuilder();
            while (offset < MAX_HEADER) {
                in.mark(1);
                int first = in.read();
                if (first != marker) {
                    return new HeaderLines(lines, offset);
                }
                line.setLength(0);
                line.append((char) first);
                long start = offset;
                offset++;
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    line.append((char) c);
                    offset++;
                    if (offset - start > 64 * 1024) {
                        throw new IOException("at byte " + start + ": header line longer than 64 KiB (not a text header)");
                    }
                }
                if (c < 0) {
                    throw new IOException("at byte " + offset + ": truncated: the file ends inside its header");
                }
                offset++;
                String text = line.toString();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                lines.add(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                if (terminator != null && text.equals(terminator)) {
                    return new HeaderLines(lines, offset);
                }
            }
            throw new IOException("at byte " + offset + ": no end of header within " + MAX_HEADER + " bytes");
        }
    }

    /**
     * A header's number (a width, a stream id, a size), refused in words that name the field when
     * it is not one: {@code Integer.parseInt}'s own message names neither.
     */
    static int number(String field, String text) {
        if (text == null || !text.matches("-?\\d+")) {
            throw new IllegalArgumentException(field + " '" + abbreviated(text) + "' is not a number");
        }
        if (text.length() > 10 || text.startsWith("-") || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " " + abbreviated(text) + " is out of range");
        }
        return Integer.parseInt(text);
    }

    private static String abbreviated(String text) {
        return text == null || text.length() <= 24 ? String.valueOf(text) : text.substring(0, 24) + "...";
    }

    /** The value after {@code prefix} on the first line that starts with it, trimmed; or null. */
    String value(String prefix) {
        for (String l : lines) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}
