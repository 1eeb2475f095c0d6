package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;

/**
 * N-MNIST / N-Caltech101 binary: 5 bytes per event, x, y, then polarity in bit 7 and a 23-bit
 * microsecond timestamp. An event with {@code y == 240} is an overflow marker that adds 2^13 to
 * every later timestamp (as the dataset's own reader does) and is not an event.
 */
final class NmnistDecoder implements EventDecoder {

    static final int RECORD = 5;
    private static final int OVERFLOW_Y = 240;

    private long timeBase;

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int start = in.position();
        while (in.remaining() >= RECORD && !out.isFull()) {
            int p = in.position();
            int x = in.get(p) & 0xFF;
            int y = in.get(p + 1) & 0xFF;
            int b2 = in.get(p + 2) & 0xFF;
            int ts = ((b2 & 0x7F) << 16) | ((in.get(p + 3) & 0xFF) << 8) | (in.get(p + 4) & 0xFF);
            in.position(p + RECORD);
            if (y == OVERFLOW_Y) {
                timeBase += 1 << 13;
                continue;
            }
            if (!g.contains(x, y)) {
                throw new BadRecordException(offset + (p - start), "event (" + x + "," + y
                        + ") lies outside the " + g + " sensor");
            }
            out.add(x, y, b2 >>> 7, timeBase + ts);
        }
        return out.isFull() ? OUTPUT_FULL : RECORD;
    }
}
