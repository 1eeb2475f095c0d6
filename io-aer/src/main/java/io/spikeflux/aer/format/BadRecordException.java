package io.spikeflux.aer.format;

/**
 * Thrown by decoders, which do not know the file; the reader adds it. The reason may quote the
 * file's bytes (an identifier, a header field), so it is made printable here, for every reader of
 * it (the command line, the DV network client, the web view), not only where it is printed.
 */
final class BadRecordException extends RuntimeException {
    final long offset;

    BadRecordException(long offset, String reason) {
        super(RecordingFormatException.printable(reason), null, false, false);
        this.offset = offset;
    }

    BadRecordException(long offset, String reason, Throwable cause) {
        super(RecordingFormatException.printable(reason), cause, false, false);
        this.offset = offset;
    }
}
