package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an AEDAT 4 network stream, as iniVation DV's TCP output and dv-processing's
 * {@code NetworkWriter} send it, from chunks in arrival order: a size-prefixed IOHeader
 * flatbuffer (no "#!AER-DAT4.0" line, unlike files), then packets of {int32 stream id, int32
 * size} and a body compressed as the header says. Bounded: a packet larger than
 * {@code maxPacketBytes} is an error, not a reason to buffer. Not thread-safe: one per connection.
 */
public final class Aedat4StreamDecoder {

    private static final int MAX_HEADER_BYTES = 1 << 20;

    private final String sensorId;
    private final int packetCapacity;
    private final int maxPacketBytes;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    /** Stream offset of {@code buffer}'s first byte, for error messages. */
    private long offset;
    private Aedat4Header header;
    private Aedat4Decoder decoder;
    private EventPacketBuilder builder;

    public Aedat4StreamDecoder(String sensorId, int packetCapacity, int maxPacketBytes) {
        this.sensorId = sensorId;
        this.packetCapacity = packetCapacity;
        this.maxPacketBytes = maxPacketBytes;
        buffer.flip();
    }

    /** The camera's geometry, once the header has arrived; else null. */
    public SensorGeometry geometry() {
        return header == null ? null : header.geometry();
    }

    /** The header's compression: 0 none, 1/2 LZ4, 3/4 ZSTD; -1 before the header. */
    public int compression() {
        return header == null ? -1 : header.compression();
    }

    /**
     * Takes the next bytes of the stream and returns the event packets they completed.
     *
     * @throws Aedat4StreamException naming the stream offset of a header or packet that is not valid
     */
    public List<EventPacket> feed(ByteBuffer chunk) {
        return feed(chunk, 0L);
    }

    /** {@link #feed(ByteBuffer)}, stamping the packets with the chunk's arrival time ({@link System#nanoTime()}). */
    public List<EventPacket> feed(ByteBuffer chunk, long arrivalNanos) {
        try {
            return decode(chunk, arrivalNanos);
        } catch (BadRecordException e) {
            throw new Aedat4StreamException(e.offset, e.getMessage(), e);
        }
    }

    /**
     * The stream has ended (the server closed the connection): bytes of an unfinished header or
     * packet mean it was cut off, which is an error, not events to drop quietly.
     *
     * @throws Aedat4StreamException naming where the cut-off header or packet began
     */
    public void finish() {
        if (header == null) {
            throw new Aedat4StreamException(offset, "stream ended before its IOHeader was complete ("
                    + buffer.remaining() + " bytes)", null);
        }
        if (buffer.remaining() > 0) {
            throw new Aedat4StreamException(offset, "stream ended inside a packet: truncated after "
                    + buffer.remaining() + " bytes", null);
        }
    }

    private List<EventPacket> decode(ByteBuffer chunk, long arrivalNanos) {
        append(chunk);
        List<EventPacket> out = new ArrayList<>(2);
        if (header == null && !readHeader()) {
            return out;
        }
        while (true) {
            int start = buffer.position();
            int need = decoder.decode(buffer, offset + start, builder);
            offset += buffer.position() - start;
            buffer.compact().flip();
            if (need > maxPacketBytes + Aedat4Decoder.PACKET_HEADER) {
                throw new BadRecordException(offset, "packet of " + (need - Aedat4Decoder.PACKET_HEADER)
                        + " bytes exceeds the limit of " + maxPacketBytes);
            }
            if (need == EventDecoder.OUTPUT_FULL) {
                out.add(builder.build(arrivalNanos));
                builder = new EventPacketBuilder(sensorId, header.geometry(), packetCapacity);
                continue;
            }
            break;
        }
        if (builder.size() > 0) {
            out.add(builder.build(arrivalNanos));
            builder = new EventPacketBuilder(sensorId, header.geometry(), packetCapacity);
        }
        return out;
    }

    private boolean readHeader() {
        if (buffer.remaining() < 4) {
            return false;
        }
        int size = buffer.getInt(buffer.position());
        if (size <= 0 || size > MAX_HEADER_BYTES) {
            throw new BadRecordException(offset, "implausible IOHeader size " + size + " (not an AEDAT 4 stream?)");
        }
        if (buffer.remaining() < 4 + size) {
            return false;
        }
        byte[] bytes = new byte[size];
        buffer.get(buffer.position() + 4, bytes);
        try {
            header = Aedat4Header.parse(bytes, offset + 4, offset + 4 + size);
        } catch (IOException e) {
            throw new BadRecordException(offset + 4, e.getMessage().replaceFirst("^at byte \\d+: ", ""), e);
        }
        buffer.position(buffer.position() + 4 + size);
        offset += 4 + size;
        decoder = new Aedat4Decoder(header.compression(), -1, header.eventStreams());
        builder = new EventPacketBuilder(sensorId, header.geometry(), packetCapacity);
        return true;
    }

    private void append(ByteBuffer chunk) {
        if (buffer.capacity() - buffer.limit() < chunk.remaining()) {
            int needed = buffer.remaining() + chunk.remaining();
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity(), Integer.highestOneBit(needed) << 1))
                    .order(ByteOrder.LITTLE_ENDIAN);
            bigger.put(buffer);
            bigger.flip();
            buffer = bigger;
        }
        int pos = buffer.position();
        buffer.position(buffer.limit());
        buffer.limit(buffer.capacity());
        buffer.put(chunk);
        buffer.limit(buffer.position());
        buffer.position(pos);
    }
}
