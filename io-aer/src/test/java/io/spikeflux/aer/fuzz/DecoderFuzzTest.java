package io.spikeflux.aer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spikeflux.aer.format.Aedat4StreamDecoder;
import io.spikeflux.aer.format.Aedat4StreamException;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.format.RecordingFormatException;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketMessages;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.proto.EventPacketMessage;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes into the decoders: every outcome must be events or the decoder's own error
 * naming an offset; any other exception, a hang or running out of memory is a finding. With the
 * tests, only the seeds run (files below {@code DecoderFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes a target for its {@code maxDuration}.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void aedat4NetworkStream(byte[] data) {
        Aedat4StreamDecoder d = new Aedat4StreamDecoder("fuzz", 512, 1 << 20);
        try {
            // in two chunks, so the framing across chunk borders is exercised too
            int half = data.length / 2;
            d.feed(ByteBuffer.wrap(data, 0, half));
            d.feed(ByteBuffer.wrap(data, half, data.length - half));
        } catch (Aedat4StreamException expected) {
            // a named error at an offset
        }
    }

    @FuzzTest(maxDuration = "20s")
    void recordingFiles(byte[] data) throws Exception {
        // the first byte picks the file name (N-MNIST is recognised by its extension), the rest is the file
        String[] names = {"f.aedat4", "f.aedat", "f.raw", "f.dat", "f.bin"};
        if (data.length < 1) {
            return;
        }
        Path file = Files.createTempFile("fuzz", names[(data[0] & 0xFF) % names.length]);
        try {
            Files.write(file, java.util.Arrays.copyOfRange(data, 1, data.length));
            try {
                Recording r = Recording.open(file);
                r.events(256).take(10_000).blockLast();
            } catch (RecordingFormatException expected) {
                // a named error at an offset
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Differential: the field-by-field packet reader against protobuf's generated parser and the
     * checks a packet needs. Both must refuse the same bytes for the same kind of reason, and
     * agree on every event of what they accept.
     */
    @FuzzTest(maxDuration = "20s")
    void packetMessages(byte[] data) {
        SensorGeometry fallback = new SensorGeometry(346, 260);
        EventPacketMessage reference;
        try {
            reference = EventPacketMessage.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            reference = null;
        }
        EventPacket read = null;
        boolean wireError = false;
        String refused = null;
        try {
            read = EventPacketMessages.read(data, fallback, "fallback", 0);
        } catch (InvalidProtocolBufferException e) {
            wireError = true;
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
        }
        if (reference == null) {
            assertTrue(wireError, "the generated parser refuses what the reader accepts");
            return;
        }
        assertFalse(wireError, "the reader refuses a message the generated parser reads");
        String expectedRefusal = refusal(reference, fallback);
        assertEquals(expectedRefusal, refused);
        if (read == null) {
            return;
        }
        SensorGeometry g = reference.hasGeometry() && (reference.getGeometry().getWidth() != 0
                || reference.getGeometry().getHeight() != 0)
                ? new SensorGeometry(reference.getGeometry().getWidth(), reference.getGeometry().getHeight()) : fallback;
        assertEquals(g, read.geometry());
        assertEquals(reference.getSequenceNumber(), read.sequence());
        assertEquals(reference.getSensorId().isEmpty() ? "fallback" : reference.getSensorId(), read.sensorId());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(reference.getX(i), read.x(i));
            assertEquals(reference.getY(i), read.y(i));
            assertEquals(reference.getPolarity().byteAt(i) != 0 ? 1 : 0, read.polarity(i));
            assertEquals(reference.getBaseTimestampUs() + (reference.getTimestampOffsetUs(i) & 0xFFFFFFFFL), read.timestampUs(i));
        }
    }

    /** Why a parsed message is not a packet, or null. */
    private static String refusal(EventPacketMessage m, SensorGeometry fallback) {
        int n = m.getXCount();
        if (m.getYCount() != n || m.getPolarity().size() != n || m.getTimestampOffsetUsCount() != n) {
            return "field lengths differ (x " + n + ", y " + m.getYCount() + ", polarity " + m.getPolarity().size()
                    + ", timestamps " + m.getTimestampOffsetUsCount() + ")";
        }
        SensorGeometry g = fallback;
        if (m.hasGeometry() && (m.getGeometry().getWidth() != 0 || m.getGeometry().getHeight() != 0)) {
            try {
                g = new SensorGeometry(m.getGeometry().getWidth(), m.getGeometry().getHeight());
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        for (int i = 0; i < n; i++) {
            if (!g.contains(m.getX(i), m.getY(i))) {
                return "event (" + Integer.toUnsignedString(m.getX(i)) + "," + Integer.toUnsignedString(m.getY(i))
                        + ") lies outside the " + g + " sensor";
            }
        }
        return null;
    }
}
