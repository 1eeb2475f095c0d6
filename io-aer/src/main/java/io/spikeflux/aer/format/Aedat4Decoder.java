package io.spikeflux.aer.format;

import com.github.luben.zstd.ZstdInputStream;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * AEDAT 4.0 body: packets of {int32 stream id, int32 size} and one LZ4 frame, ZSTD frame or raw
 * size-prefixed flatbuffer. Event packets ("EVTS": 16-byte {int64 t, int16 x, int16 y, bool p})
 * of the event streams are decoded; other streams (frames, IMU, triggers) are skipped unopened.
 * The FileDataTable at the end is not needed for sequential reading and is skipped.
 */
final class Aedat4Decoder implements EventDecoder {

    static final int PACKET_HEADER = 8;
    private static final int EVENT_SIZE = 16;
    /**
     * A packet that inflates beyond this is refused: a compression bomb must not take the heap (a
     * 256 MB one may not be able to hold even this twice). Real packets are far smaller: dv-processing
     * writes a DVXplorer's events in packets of tens of kB.
     */
    static final int MAX_DECOMPRESSED = 64 << 20;

    private final int compression;
    private final long dataTablePosition;
    private final Set<Integer> eventStreams;

    private ByteBuffer pending;
    private int pendingEvents;
    private long pendingOffset;

    Aedat4Decoder(int compression, long dataTablePosition, Set<Integer> eventStreams) {
        this.compression = compression;
        this.dataTablePosition = dataTablePosition;
        this.eventStreams = eventStreams;
    }

    @Override
    public int decode(ByteBuffer in, long offset, EventPacketBuilder out) {
        int start = in.position();
        while (true) {
            if (!drain(out)) {
                return OUTPUT_FULL;
            }
            long at = offset + (in.position() - start);
            if (dataTablePosition > 0 && at >= dataTablePosition) {
                in.position(in.limit());
                return 0;
            }
            if (in.remaining() < PACKET_HEADER) {
                return PACKET_HEADER;
            }
            int p = in.position();
            int stream = in.getInt(p);
            int size = in.getInt(p + 4);
            if (size < 0) {
                throw new BadRecordException(at, "packet of stream " + stream + " has negative size " + size);
            }
            if (in.remaining() - PACKET_HEADER < size) {
                // (a size near 2^31 must not wrap the sum around)
                return size > Integer.MAX_VALUE - PACKET_HEADER ? Integer.MAX_VALUE : PACKET_HEADER + size;
            }
            in.position(p + PACKET_HEADER + size);
            if (!eventStreams.contains(stream)) {
                continue;
            }
            byte[] body = new byte[size];
            in.get(p + PACKET_HEADER, body);
            open(decompress(body, at), at);
        }
    }

    private ByteBuffer decompress(byte[] body, long at) {
        if (compression == 0) {
            return ByteBuffer.wrap(body);
        }
        try {
            if (compression <= 2) {
                return Lz4FrameDecoder.decompress(body, MAX_DECOMPRESSED);
            }
            return inflateZstd(body);
        } catch (IOException | RuntimeException e) {
            throw new BadRecordException(at, "corrupt " + (compression <= 2 ? "LZ4" : "ZSTD") + " packet: " + e.getMessage(), e);
        }
    }

    /**
     * Inflates a ZSTD packet into an array of the size its flatbuffer's size prefix declares, so a
     * bomb is refused after 4 bytes instead of after the limit has been buffered.
     */
    private static ByteBuffer inflateZstd(byte[] body) throws IOException {
        try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(body))) {
            byte[] prefix = z.readNBytes(4);
            if (prefix.length < 4) {
                throw new IOException("inflates to " + prefix.length + " bytes, too few for a size-prefixed flatbuffer");
            }
            long declared = 4 + (ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL);
            if (declared > MAX_DECOMPRESSED) {
                throw new IOException("its flatbuffer declares " + declared + " bytes, more than the limit of "
                        + MAX_DECOMPRESSED);
            }
            byte[] out = new byte[(int) declared];
            System.arraycopy(prefix, 0, out, 0, 4);
            int n = z.readNBytes(out, 4, out.length - 4);
            if (n < out.length - 4) {
                throw new IOException("inflates to " + (4 + n) + " bytes, fewer than the " + declared
                        + " its size prefix declares");
            }
            return ByteBuffer.wrap(out);
        }
    }

    private void open(ByteBuffer packet, long at) {
        ByteBuffer b = packet.order(ByteOrder.LITTLE_ENDIAN);
        try {
            // size-prefixed flatbuffer: uint32 size, then the buffer with its identifier at bytes 4..8
            String id = FlatTable.identifier(b, 4);
            if (!id.equals("EVTS")) {
                throw new BadRecordException(at, "event stream packet has identifier '" + id + "', expected EVTS");
            }
            FlatTable table = FlatTable.root(b, 4);
            int first = table.vectorStart(0);
            int n = table.vectorLength(0);
            if (first < 0) {
                return;
            }
            if (n < 0 || n > (Integer.MAX_VALUE - first) / EVENT_SIZE) {
                throw new IllegalArgumentException("event vector of " + n + " elements does not fit the packet");
            }
            table.check(first, n * EVENT_SIZE);
            b.position(first);
            pending = b;
            pendingEvents = n;
            pendingOffset = at;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new BadRecordException(at, "corrupt EVTS packet: " + e.getMessage(), e);
        }
    }

    /** Moves decoded events into {@code out}; false when it filled up first. */
    private boolean drain(EventPacketBuilder out) {
        if (pendingEvents == 0) {
            return true;
        }
        SensorGeometry g = out.geometry();
        ByteBuffer b = pending;
        int p = b.position();
        while (pendingEvents > 0) {
            if (out.isFull()) {
                b.position(p);
                return false;
            }
            long t = b.getLong(p);
            int x = b.getShort(p + 8);
            int y = b.getShort(p + 10);
            if (!g.contains(x, y)) {
                throw new BadRecordException(pendingOffset, "event (" + x + "," + y + ") in this packet lies outside the "
                        + g + " sensor");
            }
            out.add(x, y, b.get(p + 12) != 0 ? 1 : 0, t);
            p += EVENT_SIZE;
            pendingEvents--;
        }
        b.position(p);
        pending = null;
        return true;
    }
}
