package io.spikeflux.aer.event;

import com.google.protobuf.ByteString;
import io.spikeflux.proto.EventPacketMessage;

/**
 * SpikeFlux's own wire form of a packet, {@code EventPacketMessage}: it names its sensor and
 * geometry and carries a 64-bit sequence. The same message travels in UDP datagrams and as the
 * value of Kafka records.
 */
public final class EventPacketMessages {

    private EventPacketMessages() {
    }

    /** Events {@code [from, to)} of a packet as a message, timestamps relative to the first. */
    public static EventPacketMessage toMessage(EventPacket p, int from, int to, long sequence, String sensorId) {
        long base = to > from ? p.timestampUs(from) : 0;
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
        return m.build();
    }

    /**
     * A message as a packet.
     *
     * @param fallbackGeometry used when the message names none
     * @param fallbackId       used when the message names no sensor
     * @throws IllegalArgumentException saying what is wrong: field lengths that differ, an event
     *                                  outside the sensor
     */
    public static EventPacket fromMessage(EventPacketMessage m, SensorGeometry fallbackGeometry, String fallbackId,
                                          long arrivalNanos) {
        int n = m.getXCount();
        if (m.getYCount() != n || m.getPolarity().size() != n || m.getTimestampOffsetUsCount() != n) {
            throw new IllegalArgumentException("field lengths differ (x " + n + ", y " + m.getYCount() + ", polarity "
                    + m.getPolarity().size() + ", timestamps " + m.getTimestampOffsetUsCount() + ")");
        }
        // a size the message states is checked like any other (SensorGeometry's bounds); only an
        // absent one falls back
        boolean stated = m.hasGeometry() && (m.getGeometry().getWidth() != 0 || m.getGeometry().getHeight() != 0);
        SensorGeometry g = stated ? new SensorGeometry(m.getGeometry().getWidth(), m.getGeometry().getHeight())
                : fallbackGeometry;
        if (g == null) {
            throw new IllegalArgumentException("the packet names no sensor size");
        }
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        long base = m.getBaseTimestampUs();
        for (int i = 0; i < n; i++) {
            int ex = m.getX(i);
            int ey = m.getY(i);
            if (!g.contains(ex, ey)) {
                throw new IllegalArgumentException("event (" + ex + "," + ey + ") lies outside the " + g + " sensor");
            }
            x[i] = (short) ex;
            y[i] = (short) ey;
            p[i] = m.getPolarity().byteAt(i) != 0 ? (byte) 1 : 0;
            t[i] = base + (m.getTimestampOffsetUs(i) & 0xFFFFFFFFL);
        }
        String id = m.getSensorId().isEmpty() ? fallbackId : m.getSensorId();
        return new EventPacket(id, g, m.getSequenceNumber(), n, x, y, p, t, arrivalNanos);
    }
}
