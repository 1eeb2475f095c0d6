package io.spikeflux.aer.udp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.proto.EventPacketMessage;

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
        long base = p.timestampUs(from);
        EventPacketMessage.Builder m = EventPacketMessage.newBuilder()
                .setSensorId(sensorId)
                .setSequenceNumber(sequence)
                .setBaseTimestampUs(base);
        m.getGeometryBuilder().setWidth(p.geometry().width()).setHeight(p.geometry().height());
        byte[] pol = new byte[to - from];
        for (int i = from; i < to; i++) {
            m.addX(p.x(i));
            m.addY(p.y(i));
            pol[i - from] = (byte) p.polarity(i);
            m.addTimestampOffsetUs((int) (p.timestampUs(i) - base));
        }
        m.setPolarity(ByteString.copyFrom(pol));
        out.clear();
        try {
            CodedOutputStream cos = CodedOutputStream.newInstance(out);
            m.build().writeTo(cos);
            cos.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flip();
    }

    private static EventPacketMessage parse(ByteBuf d) {
        try {
            return EventPacketMessage.parseFrom(d.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedDatagramException("bad protobuf: " + e.getMessage());
        }
    }

    @Override
    public EventPacket decode(ByteBuf d, SourceState source, long receiveTimeUs) {
        EventPacketMessage m = parse(d);
        int n = m.getXCount();
        if (m.getYCount() != n || m.getPolarity().size() != n || m.getTimestampOffsetUsCount() != n) {
            throw new MalformedDatagramException("field lengths differ (x " + n + ", y " + m.getYCount() + ", polarity "
                    + m.getPolarity().size() + ", timestamps " + m.getTimestampOffsetUsCount() + ")");
        }
        SensorGeometry g = m.hasGeometry() && m.getGeometry().getWidth() > 0 && m.getGeometry().getHeight() > 0
                ? new SensorGeometry(m.getGeometry().getWidth(), m.getGeometry().getHeight()) : source.geometry;
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        long base = m.getBaseTimestampUs();
        for (int i = 0; i < n; i++) {
            int ex = m.getX(i);
            int ey = m.getY(i);
            if (!g.contains(ex, ey)) {
                throw new MalformedDatagramException("event (" + ex + "," + ey + ") lies outside the " + g + " sensor");
            }
            x[i] = (short) ex;
            y[i] = (short) ey;
            p[i] = m.getPolarity().byteAt(i) != 0 ? (byte) 1 : 0;
            t[i] = base + (m.getTimestampOffsetUs(i) & 0xFFFFFFFFL);
        }
        String id = m.getSensorId().isEmpty() ? source.sensorId : m.getSensorId();
        return new EventPacket(id, g, m.getSequenceNumber(), n, x, y, p, t);
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
