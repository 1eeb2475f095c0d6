package io.spikeflux.aer.udp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile datagrams into the three codecs (jAER, SPIF, protobuf): every outcome must be a packet
 * whose events lie on the sensor, or the codec's {@link MalformedDatagramException} (which the
 * receiver counts). Any other exception, a hang or running out of memory is a finding. The first
 * byte picks the codec and the sensor size.
 */
class DatagramFuzzTest {

    private static final WireProtocol[] PROTOCOLS = WireProtocol.values();
    private static final SensorGeometry[] SENSORS = {new SensorGeometry(34, 34), new SensorGeometry(128, 128),
            new SensorGeometry(346, 260), new SensorGeometry(1280, 720)};

    @FuzzTest(maxDuration = "20s")
    void datagrams(byte[] data) {
        if (data.length < 1) {
            return;
        }
        WireProtocol protocol = PROTOCOLS[(data[0] & 0xFF) % PROTOCOLS.length];
        SensorGeometry g = SENSORS[((data[0] & 0xFF) / PROTOCOLS.length) % SENSORS.length];
        SourceState source = new SourceState("fuzz", g, AddressLayout.forGeometry(g), new SensorCounters("fuzz"));
        ByteBuf d = Unpooled.wrappedBuffer(data, 1, data.length - 1);
        try {
            EventPacket p = protocol.codec().decode(d, source, 0, 0L, null);
            for (int i = 0; i < p.size(); i++) {
                assertTrue(p.geometry().contains(p.x(i), p.y(i)), "decoded event outside its sensor");
            }
        } catch (MalformedDatagramException expected) {
            // counted as malformed by the receiver
        } finally {
            d.release();
        }
    }
}
