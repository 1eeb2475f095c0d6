package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;

/**
 * AEDAT 3.1 body: packets of a 28-byte little-endian header and {@code eventNumber} events.
 * Polarity packets (type 1) are decoded; other packet types are skipped whole. Timestamps are
 * {@code overflow << 31 | ts}.
 */
final class Aedat31Decoder implements EventDecoder {

    static final int HEADER = 28;
    private static final int POLARITY = 1;

    /** Events left in the packet being decoded, 0 between packets. */
    private int remaining;
    private int eventSize;
    private int tsOffset;
    private long overflow;

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int start = in.position();
        while (true) {
            if (remaining == 0) {
                if (in.remaining() < HEADER) {
                    return HEADER;
                }
                int p = in.position();
                int type = in.getShort(p);
                int size = in.getInt(p + 4);
                int tsOff = in.getInt(p + 8);
                int tsOverflow = in.getInt(p + 12);
                int number = in.getInt(p + 20);
                if (size <= 0 || number < 0 || tsOff < 0 || tsOff + 4 > size) {
                    throw new BadRecordException(offset + (p - start), "corrupt packet header (type " + type
                            + ", event size " + size + ", timestamp offset " + tsOff + ", events " + number + ")");
                }
                if (type != POLARITY) {
                    long skip = HEADER + (long) size * number;
                    if (skip > Integer.MAX_VALUE) {
                        throw new BadRecordException(offset + (p - start), "packet of " + skip + " bytes");
                    }
                    if (in.remaining() < skip) {
                        return (int) skip;
                    }
                    in.position(p + (int) skip);
                    continue;
                }
                if (size < 8) {
                    throw new BadRecordException(offset + (p - start), "polarity events of " + size + " bytes (expected 8)");
                }
                in.position(p + HEADER);
                remaining = number;
                eventSize = size;
                tsOffset = tsOff;
                overflow = (long) tsOverflow << 31;
                if (number == 0) {
                    continue;
                }
            }
            while (remaining > 0) {
                if (in.remaining() < eventSize) {
                    return eventSize;
                }
                if (out.isFull()) {
                    return OUTPUT_FULL;
                }
                int p = in.position();
                int data = in.getInt(p);
                int ts = in.getInt(p + tsOffset);
                in.position(p + eventSize);
                remaining--;
                if ((data & 1) == 0) {
                    continue; // invalidated event
                }
                int x = (data >>> 17) & 0x7FFF;
                int y = (data >>> 2) & 0x7FFF;
                if (!g.contains(x, y)) {
                    throw new BadRecordException(offset + (p - start), "event (" + x + "," + y + ") lies outside the "
                            + g + " sensor");
                }
                out.add(x, y, (data >>> 1) & 1, overflow | (ts & 0x7FFFFFFFL));
            }
        }
    }
}
