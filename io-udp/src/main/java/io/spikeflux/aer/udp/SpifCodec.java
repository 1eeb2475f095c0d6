package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;
import io.spikeflux.aer.event.PacketArrays;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SPIF event words as aestream sends them: little-endian uint32 {@code [31] no-timestamp flag,
 * [30:16] x, [15] polarity, [14:0] y}; a word with the flag clear is followed by a uint32
 * timestamp word (µs). Events without a timestamp get the receive time. No sequence numbers.
 */
final class SpifCodec implements DatagramCodec {

    /** SPIF's receive buffer (spiffer): 256 words. */
    static final int MAX_DATAGRAM = 1024;
    private static final int NO_TIMESTAMP = 0x80000000;

    @Override
    public int maxEvents(int bytes) {
        return Math.min(bytes, MAX_DATAGRAM) / 8;
    }

    @Override
    public void encode(EventPacket p, int from, int to, long sequence, String sensorId, AddressLayout layout,
                       ByteBuffer out) {
        out.clear().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            out.putInt((p.x(i) & 0x7FFF) << 16 | p.polarity(i) << 15 | (p.y(i) & 0x7FFF));
            out.putInt((int) p.timestampUs(i));
        }
        out.flip();
    }

    @Override
    public EventPacket decode(ByteBuf d, SourceState source, long receiveTimeUs, long arrivalNanos,
                              PacketArrayPool pool) {
        int len = d.readableBytes();
        if (len == 0 || len % 4 != 0) {
            throw new MalformedDatagramException("length " + len + " is not a positive multiple of 4");
        }
        int base = d.readerIndex();
        int words = len / 4;
        SensorGeometry g = source.geometry;
        PacketArrays arrays = PacketArrays.take(pool, words);
        short[] x = arrays.x;
        short[] y = arrays.y;
        byte[] p = arrays.polarity;
        long[] t = arrays.timestampUs;
        int k = 0;
        for (int w = 0; w < words; w++) {
            int word = d.getIntLE(base + 4 * w);
            int ex = (word >>> 16) & 0x7FFF;
            int ey = word & 0x7FFF;
            if (!g.contains(ex, ey)) {
                throw malformed(arrays, "event (" + ex + "," + ey + ") lies outside the " + g + " sensor");
            }
            long ts;
            if ((word & NO_TIMESTAMP) != 0) {
                ts = receiveTimeUs;
            } else {
                if (++w >= words) {
                    throw malformed(arrays, "event word without its timestamp word");
                }
                ts = d.getIntLE(base + 4 * w) & 0xFFFFFFFFL;
            }
            x[k] = (short) ex;
            y[k] = (short) ey;
            p[k] = (byte) ((word >>> 15) & 1);
            t[k] = ts;
            k++;
        }
        for (int i = 0; i < k; i++) {
            t[i] = source.time.unwrap(t[i]);
        }
        return new EventPacket(source.sensorId, g, 0, k, arrays, arrivalNanos);
    }

    @Override
    public boolean decodesIntoPooledArrays() {
        return true;
    }

    @Override
    public boolean sequenced() {
        return false;
    }

    @Override
    public boolean namesSensor() {
        return false;
    }

    /** Gives the datagram's arrays back: a malformed datagram makes no packet. */
    private static MalformedDatagramException malformed(PacketArrays arrays, String message) {
        arrays.discard();
        return new MalformedDatagramException(message);
    }
}
