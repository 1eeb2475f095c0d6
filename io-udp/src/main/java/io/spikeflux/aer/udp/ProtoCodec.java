package io.spikeflux.aer.udp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;
import io.spikeflux.aer.event.EventPacketMessages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** SpikeFlux's EventPacketMessage: names its sensor and geometry and carries a 64-bit sequence. */
final class ProtoCodec implements DatagramCodec {

    static final int MAX_DATAGRAM = 65_000;

    @Override
    public int maxEvents(int bytes) {
        // worst case per event: 3 + 3 + 1 + 5 bytes of varints
        return Math.max(1, (Math.min(bytes, MAX_DATAGRAM) - 64) / 12);
    }

    @Override
    public void encode(EventPacket p, int from, int to, long sequence, String sensorId, AddressLayout layout,
                       ByteBuffer out) {
        out.clear();
        try {
            CodedOutputStream cos = CodedOutputStream.newInstance(out);
            EventPacketMessages.write(p, from, to, sequence, sensorId, cos);
            cos.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flip();
    }

    @Override
    public EventPacket decode(ByteBuf d, SourceState source, long receiveTimeUs, long arrivalNanos,
                              PacketArrayPool pool) {
        try {
            return EventPacketMessages.read(d.nioBuffer(), source.geometry, source.sensorId, arrivalNanos);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedDatagramException("bad protobuf: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MalformedDatagramException(e.getMessage());
        }
    }

    @Override
    public boolean sequenced() {
        return true;
    }

    @Override
    public boolean namesSensor() {
        return true;
    }
}
