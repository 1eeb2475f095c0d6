package io.spikeflux.aer.event;

/**
 * Turns an n-bit wrapping microsecond counter into a monotonic long: a step backwards by more than
 * half the range is a wrap; smaller steps back are kept as they are (sources may interleave).
 */
public final class TimestampUnwrapper {

    private final long range;
    private long offset;
    private long last = -1;

    public TimestampUnwrapper(int bits) {
        this.range = 1L << bits;
    }

    public long unwrap(long raw) {
        if (last >= 0 && raw < last && last - raw > range / 2) {
            offset += range;
        }
        last = raw;
        return offset + raw;
    }
}
