package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;
import io.spikeflux.aer.event.PacketArrays;
import io.spikeflux.aer.event.SensorGeometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** jAER unicast datagrams (AEUnicastOutput defaults): big-endian, sequence first, address before timestamp. */
final class JaerCodec implements DatagramCodec {

    /** jAER's DATAGRAM_BUFFER_SIZE_BYTES. */
    static final int MAX_DATAGRAM = 63_000;

    @Override
    public int maxEvents(int bytes) {
        return (Math.min(bytes, MAX_DATAGRAM) - 4) / 8;
    }

    @Override
    public void encode(EventPacket p, int from, int to, long sequence, String sensorId, AddressLayout layout,
                       ByteBuffer out) {
        out.clear().order(ByteOrder.BIG_ENDIAN);
        out.putInt((int) sequence);
        for (int i = from; i < to; i++) {
            out.putInt(layout.encode(p.x(i), p.y(i), p.polarity(i), p.geometry()));
            out.putInt((int) p.timestampUs(i));
        }
        out.flip();
    }

    @Override
    public EventPacket decode(ByteBuf d, SourceState source, long receiveTimeUs, long arrivalNanos,
                              PacketArrayPool pool) {
        int len = d.readableBytes();
        if (len < 4) {
            throw new MalformedDatagramException("short datagram (" + len + " bytes)");
        }
        if ((len - 4) % 8 != 0) {
            throw new MalformedDatagramException("length " + len + " is not 4 + 8 per event");
        }
        int base = d.readerIndex();
        long sequence = d.getInt(base) & 0xFFFFFFFFL;
        int n = (len - 4) / 8;
        SensorGeometry g = source.geometry;
        AddressLayout layout = source.layout;
        PacketArrays arrays = PacketArrays.take(pool, n);
        short[] x = arrays.x;
        short[] y = arrays.y;
        byte[] p = arrays.polarity;
        long[] t = arrays.timestampUs;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int at = base + 4 + 8 * i;
            int address = d.getInt(at);
            int ts = d.getInt(at + 4);
            if (!layout.isDvs(address)) {
                continue;
            }
            int ex = layout.decodeX(address, g);
            int ey = layout.decodeY(address, g);
            if (!g.contains(ex, ey)) {
                throw malformed(arrays, "address 0x" + Integer.toHexString(address) + " lies outside the "
                        + g + " sensor");
            }
            x[k] = (short) ex;
            y[k] = (short) ey;
            p[k] = (byte) layout.polarity(address);
            t[k] = ts & 0xFFFFFFFFL;
            k++;
        }
        // unwrap only once the whole datagram is known to be valid
        for (int i = 0; i < k; i++) {
            t[i] = source.time.unwrap(t[i]);
        }
        return new EventPacket(source.sensorId, g, sequence, k, arrays, arrivalNanos);
    }

    @Override
    public boolean decodesIntoPooledArrays() {
        return true;
    }

    @Override
    public boolean sequenced() {
        return true;
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
