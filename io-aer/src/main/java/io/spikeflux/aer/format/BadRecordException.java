package io.spikeflux.aer.format;

/** Thrown by decoders, which do not know the file; the reader adds it. */
final class BadRecordException extends RuntimeException {
    final long offset;

    BadRecordException(long offset, String reason) {
        super(reason, null, false, false);
        this.offset = offset;
    }

    BadRecordException(long offset, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.offset = offset;
    }
}
