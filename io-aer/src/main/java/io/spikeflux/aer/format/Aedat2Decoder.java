package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;

/**
 * AEDAT 2.0 (jAER) body: big-endian int32 address and int32 timestamp (µs) per event. Addresses
 * follow the DVS128 or the DAVIS layout; jAER's origin is bottom-left with x mirrored, which is
 * turned into SpikeFlux's top-left origin here. Non-DVS events (APS samples, IMU, external input,
 * sync) are skipped. 32-bit timestamps are unwrapped.
 */
final class Aedat2Decoder implements EventDecoder {

    static final int RECORD = 8;

    private final AddressLayout layout;
    private final TimestampUnwrapper time = new TimestampUnwrapper(32);

    Aedat2Decoder(AddressLayout layout) {
        this.layout = layout;
    }

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        SensorGeometry g = out.geometry();
        int start = in.position();
        while (in.remaining() >= RECORD) {
            if (out.isFull()) {
                return OUTPUT_FULL;
            }
            int p = in.position();
            int address = in.getInt(p);
            long t = time.unwrap(in.getInt(p + 4) & 0xFFFFFFFFL);
            in.position(p + RECORD);
            if (!layout.isDvs(address)) {
                continue;
            }
            int x = g.width() - 1 - layout.rawX(address);
            int y = g.height() - 1 - layout.rawY(address);
            if (!g.contains(x, y)) {
                throw new BadRecordException(offset + (p - start), "address 0x" + Integer.toHexString(address)
                        + " decodes to (" + x + "," + y + "), outside the " + g + " sensor");
            }
            out.add(x, y, layout.polarity(address), t);
        }
        return out.isFull() ? OUTPUT_FULL : RECORD;
    }

    /** Raw jAER address layouts. */
    enum AddressLayout {
        /** DVS128: bit 15 special, y in 14..8, x in 7..1, bit 0 = 0 for ON. */
        DVS128 {
            @Override
            boolean isDvs(int a) {
                return (a & 0x8000) == 0;
            }

            @Override
            int rawX(int a) {
                return (a >>> 1) & 0x7F;
            }

            @Override
            int rawY(int a) {
                return (a >>> 8) & 0x7F;
            }

            @Override
            int polarity(int a) {
                return 1 - (a & 1);
            }

            @Override
            int encode(int rawX, int rawY, int polarity) {
                return (rawY << 8) | (rawX << 1) | (1 - polarity);
            }
        },
        /** DAVIS: bit 31 APS, bit 10 external/IMU, y in 30..22, x in 21..12, bit 11 = 1 for ON. */
        DAVIS {
            @Override
            boolean isDvs(int a) {
                return (a & 0x80000000) == 0 && (a & 0x400) == 0;
            }

            @Override
            int rawX(int a) {
                return (a >>> 12) & 0x3FF;
            }

            @Override
            int rawY(int a) {
                return (a >>> 22) & 0x1FF;
            }

            @Override
            int polarity(int a) {
                return (a >>> 11) & 1;
            }

            @Override
            int encode(int rawX, int rawY, int polarity) {
                return (rawY << 22) | (rawX << 12) | (polarity << 11);
            }
        };

        abstract boolean isDvs(int address);

        abstract int rawX(int address);

        abstract int rawY(int address);

        abstract int polarity(int address);

        abstract int encode(int rawX, int rawY, int polarity);
    }
}
