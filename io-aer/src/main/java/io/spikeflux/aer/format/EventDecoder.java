package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;

import java.nio.ByteBuffer;

/**
 * Decodes the body of one recording format. Stateful (timestamp bases, current row, ...), one
 * instance per stream. Implementations never allocate per event.
 */
interface EventDecoder {

    int OUTPUT_FULL = -1;

    /**
     * Decodes whole records from {@code in}, whose position is at file offset {@code offset}, into
     * {@code out}, until {@code out} cannot take the next record or no whole record is left.
     *
     * @return {@link #OUTPUT_FULL} when {@code out} should be emitted first; otherwise the number of
     *         bytes the next record needs (0 if unknown or already present)
     * @throws BadRecordException with the absolute offset of a record that is not valid
     */
    int decode(ByteBuffer in, long offset, EventPacketBuilder out);
}
