package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;

/**
 * Prophesee EVT 3.0: little-endian 16-bit words with state (current y, x base, polarity, time).
 * EVT_TIME_HIGH sets bits 23..12 of the time and resets the low part; EVT_TIME_LOW sets bits
 * 11..0. TIME_LOW may step backwards when several sources share one TIME_HIGH: that is not a
 * wrap. Only TIME_HIGH going far backwards is a wrap of the 24-bit time (every 16.777216 s).
 */
final class Evt3Decoder implements EventDecoder {

    private static final int ADDR_Y = 0x0;
    private static final int ADDR_X = 0x2;
    private static final int VECT_BASE_X = 0x3;
    private static final int VECT_12 = 0x4;
    private static final int VECT_8 = 0x5;
    private static final int TIME_LOW = 0x6;
    private static final int TIME_HIGH = 0x8;
    private static final long LOOP = 1L << 24;
    private static final long LOOP_THRESHOLD = (1L << 24) - 4096 - 10 * 4096;
    /** Room for the largest burst one word can emit (VECT_12). */
    private static final int MAX_PER_WORD = 12;

    private long timeBase = -1;
    private long time;
    private long loops;
    private int y;
    private int baseX;
    private int polarity;

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int width = g.width();
        int height = g.height();
        int start = in.position();
        int p = start;
        int limit = in.limit() - 1;
        int room = out.capacity() - out.size();
        try {
            while (p < limit) {
                if (room < MAX_PER_WORD) {
                    return OUTPUT_FULL;
                }
                int w = in.getShort(p) & 0xFFFF;
                int type = w >>> 12;
                switch (type) {
                    case TIME_HIGH -> {
                        long high = (long) (w & 0xFFF) << 12;
                        long previous = timeBase < 0 ? -1 : timeBase - loops;
                        if (previous >= 0 && high < previous && previous - high >= LOOP_THRESHOLD) {
                            loops += LOOP;
                        }
                        timeBase = loops + high;
                        time = timeBase;
                    }
                    case TIME_LOW -> time = timeBase + (w & 0xFFF);
                    case ADDR_Y -> y = w & 0x7FF;
                    case ADDR_X -> {
                        if (timeBase >= 0) {
                            int x = w & 0x7FF;
                            check(x, y, width, height, g, offset + (p - start));
                            out.add(x, y, (w >>> 11) & 1, time);
                            room--;
                        }
                    }
                    case VECT_BASE_X -> {
                        baseX = w & 0x7FF;
                        polarity = (w >>> 11) & 1;
                    }
                    case VECT_12, VECT_8 -> {
                        int bits = type == VECT_12 ? 12 : 8;
                        int valid = w & ((1 << bits) - 1);
                        if (timeBase >= 0) {
                            while (valid != 0) {
                                int i = Integer.numberOfTrailingZeros(valid);
                                valid &= valid - 1;
                                int x = baseX + i;
                                check(x, y, width, height, g, offset + (p - start));
                                out.add(x, y, polarity, time);
                                room--;
                            }
                        }
                        baseX += bits;
                    }
                    default -> {
                        // CONTINUED, EXT_TRIGGER, IMU, OTHERS: not pixel events
                    }
                }
                p += 2;
            }
        } finally {
            in.position(p);
        }
        return 2;
    }

    private static void check(int x, int y, int width, int height, SensorGeometry g, long at) {
        if (x >= width || y >= height) {
            throw new BadRecordException(at, "event (" + x + "," + y + ") lies outside the " + g + " sensor");
        }
    }
}
