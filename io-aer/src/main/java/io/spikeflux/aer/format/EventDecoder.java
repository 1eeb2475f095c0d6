package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;

import java.nio.ByteBuffer;

/**
 * Decodes the body of one recording format. Stateful (timestamp bases, current row, ...), one
 * instance per stream. Implementations never allocate per event.
 */
interface EventDecoder {

    /**
     * Decodes whole records from {@code in}, whose position is at file offset {@code offset}, into
     * {@code out}, until {@code out} is full or no whole record is left.
     *
     * @return the number of bytes the next record needs, if more than {@code in} holds; else 0
     * @throws BadRecordException with the absolute offset of a record that is not valid
     */
    int decode(ByteBuffer in, long offset, EventPacketBuilder out);
}
