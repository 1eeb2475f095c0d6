package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;

/**
 * Prophesee EVT 2.0: little-endian 32-bit words, type in bits 31..28. CD events carry the low 6
 * bits of the timestamp; EVT_TIME_HIGH carries bits 33..6. CD events before the first TIME_HIGH
 * have no time and are skipped, as the reference decoder does; the 34-bit time is unwrapped.
 */
final class Evt2Decoder implements EventDecoder {

    private static final int CD_OFF = 0x0;
    private static final int CD_ON = 0x1;
    private static final int TIME_HIGH = 0x8;
    private static final long LOOP = 1L << 34;

    private long timeHigh = -1;
    private long loops;

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int width = g.width();
        int height = g.height();
        int start = in.position();
        int p = start;
        int limit = in.limit() - 3;
        try {
            while (p < limit) {
                if (out.isFull()) {
                    return OUTPUT_FULL;
                }
                int w = in.getInt(p);
                int type = w >>> 28;
                if (type == CD_OFF || type == CD_ON) {
                    // CD events before the first TIME_HIGH have no time base: skipped, as openeb does
                    if (timeHigh >= 0) {
                        int x = (w >>> 11) & 0x7FF;
                        int y = w & 0x7FF;
                        if (x >= width || y >= height) {
                            throw new BadRecordException(offset + (p - start), "event (" + x + "," + y
                                    + ") lies outside the " + g + " sensor");
                        }
                        out.add(x, y, type, loops + (timeHigh << 6 | ((w >>> 22) & 0x3F)));
                    }
                } else if (type == TIME_HIGH) {
                    long high = w & 0x0FFFFFFFL;
                    if (timeHigh >= 0 && high < timeHigh && ((timeHigh - high) << 6) >= LOOP - 10 * 64) {
                        loops += LOOP;
                    }
                    timeHigh = high;
                }
                p += 4;
            }
        } finally {
            in.position(p);
        }
        return 4;
    }
}
