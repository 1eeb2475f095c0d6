package io.spikeflux.aer.format;

/** An AEDAT 4 network stream that is not valid; the message names the stream offset. */
public final class Aedat4StreamException extends RuntimeException {

    private final long offset;

    Aedat4StreamException(long offset, String reason, Throwable cause) {
        super("at byte " + offset + ": " + reason, cause);
        this.offset = offset;
    }

    /** Stream offset of the header or packet that is not valid. */
    public long offset() {
        return offset;
    }
}
