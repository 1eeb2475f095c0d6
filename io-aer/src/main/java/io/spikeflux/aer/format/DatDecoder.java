package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.event.TimestampUnwrapper;

import java.nio.ByteBuffer;

/**
 * Prophesee DAT (decoded CD events): 8 bytes little-endian per event, uint32 time in µs and
 * uint32 with x in bits 13..0, y in 27..14 and polarity in bit 28.
 */
final class DatDecoder implements EventDecoder {

    static final int RECORD = 8;
    private final TimestampUnwrapper time = new TimestampUnwrapper(32);

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int start = in.position();
        while (in.remaining() >= RECORD) {
            if (out.isFull()) {
                return OUTPUT_FULL;
            }
            int p = in.position();
            long t = time.unwrap(in.getInt(p) & 0xFFFFFFFFL);
            int w = in.getInt(p + 4);
            in.position(p + RECORD);
            int x = w & 0x3FFF;
            int y = (w >>> 14) & 0x3FFF;
            if (!g.contains(x, y)) {
                throw new BadRecordException(offset + (p - start), "event (" + x + "," + y + ") lies outside the "
                        + g + " sensor");
            }
            out.add(x, y, (w >>> 28) & 1, t);
        }
        return out.isFull() ? OUTPUT_FULL : RECORD;
    }
}
