package io.spikeflux.aer.format;

import java.nio.file.Path;

/** A recording that cannot be decoded; names the file, the byte offset and the reason. */
public final class RecordingFormatException extends RuntimeException {

    private final long offset;

    public RecordingFormatException(Path file, long offset, String reason) {
        super(file + ": at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public RecordingFormatException(Path file, long offset, String reason, Throwable cause) {
        super(file + ": at byte " + offset + ": " + reason, cause);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    /** Text from a file made safe for a one-line message: control and non-ASCII bytes become '?'. */
    static String printable(String text) {
        String t = text.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
