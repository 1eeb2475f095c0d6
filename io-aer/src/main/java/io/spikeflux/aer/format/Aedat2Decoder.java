package io.spikeflux.aer.format;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.event.TimestampUnwrapper;

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
            int x = layout.decodeX(address, g);
            int y = layout.decodeY(address, g);
            if (!g.contains(x, y)) {
                throw new BadRecordException(offset + (p - start), "address 0x" + Integer.toHexString(address)
                        + " decodes to (" + x + "," + y + "), outside the " + g + " sensor");
            }
            out.add(x, y, layout.polarity(address), t);
        }
        return out.isFull() ? OUTPUT_FULL : RECORD;
    }
}
