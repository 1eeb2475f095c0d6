package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Aedat4StreamTest {

    private static final Path FILE = Path.of("src/test/resources/events/dvxplorer_lite_sample.aedat4");

    /** Every event as {t, x, y, p}, in order. */
    private static List<long[]> events(List<EventPacket> packets) {
        List<long[]> out = new ArrayList<>();
        for (EventPacket p : packets) {
            for (int i = 0; i < p.size(); i++) {
                out.add(new long[]{p.timestampUs(i), p.x(i), p.y(i), p.polarity(i)});
            }
        }
        return out;
    }

    private static List<EventPacket> feedInChunks(Aedat4StreamDecoder d, byte[] stream, long seed) {
        Random r = new Random(seed);
        List<EventPacket> out = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            int n = Math.min(stream.length - at, 1 + r.nextInt(3000));
            out.addAll(d.feed(ByteBuffer.wrap(stream, at, n)));
            at += n;
        }
        return out;
    }

    private static void assertSameEvents(List<long[]> expected, List<long[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(java.util.Arrays.equals(expected.get(i), actual.get(i)), "event " + i);
        }
    }

    @Test
    void aStreamMadeOfTheFilesHeaderAndPacketsDecodesToTheFilesEvents() throws Exception {
        byte[] file = Files.readAllBytes(FILE);
        Aedat4Header h = Aedat4Header.read(FILE);
        // a network stream is the file without its "#!AER-DAT4.0\r\n" line and without the data table
        int end = h.dataTablePosition() > 0 ? (int) h.dataTablePosition() : file.length;
        byte[] stream = java.util.Arrays.copyOfRange(file, 14, end);
        List<long[]> expected = events(Recording.open(FILE).events().collectList().block());
        Aedat4StreamDecoder d = new Aedat4StreamDecoder("dv", 4096, 1 << 24);
        assertSameEvents(expected, events(feedInChunks(d, stream, 1)));
        assertEquals(new SensorGeometry(320, 240), d.geometry());
        assertTrue(expected.size() > 100_000);
    }

    @Test
    void theEncoderWritesWhatTheDecoderAndDvReadBack() {
        List<EventPacket> original = Recording.open(FILE).events().collectList().block();
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        ByteBuffer header = Aedat4StreamEncoder.header(new SensorGeometry(320, 240), "DVXplorer Lite");
        s.write(header.array(), 0, header.limit());
        for (EventPacket p : original) {
            ByteBuffer b = Aedat4StreamEncoder.packet(p);
            s.write(b.array(), 0, b.limit());
        }
        Aedat4StreamDecoder d = new Aedat4StreamDecoder("dv", 512, 1 << 24);
        assertSameEvents(events(original), events(feedInChunks(d, s.toByteArray(), 2)));
        assertEquals(0, d.compression());
    }

    @Test
    void badHeadersUnknownCompressionAndHugePacketsAreNamedWithTheirOffset() {
        Aedat4StreamDecoder garbage = new Aedat4StreamDecoder("dv", 512, 1 << 20);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> garbage.feed(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n".getBytes())));
        assertTrue(e.getMessage().contains("at byte 0") && e.getMessage().contains("implausible IOHeader size"),
                e.getMessage());

        ByteBuffer header = Aedat4StreamEncoder.header(new SensorGeometry(64, 48), "cam");
        ByteBuffer bad = ByteBuffer.allocate(header.limit()).order(ByteOrder.LITTLE_ENDIAN).put(header.duplicate());
        bad.putInt(4 + 24 + 4, 9); // the compression field of the IOHeader table
        bad.flip();
        e = assertThrows(RuntimeException.class, () -> new Aedat4StreamDecoder("dv", 512, 1 << 20).feed(bad));
        assertTrue(e.getMessage().contains("unknown compression 9"), e.getMessage());

        Aedat4StreamDecoder d = new Aedat4StreamDecoder("dv", 512, 1 << 10);
        d.feed(header.duplicate());
        ByteBuffer huge = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1 << 20);
        huge.flip();
        e = assertThrows(RuntimeException.class, () -> d.feed(huge));
        assertTrue(e.getMessage().contains("exceeds the limit of 1024") && e.getMessage().contains("at byte " + header.limit()),
                e.getMessage());
    }

    @Test
    void aPacketCutInTwoWaitsForItsRest() {
        ByteBuffer header = Aedat4StreamEncoder.header(new SensorGeometry(64, 48), "cam");
        var b = new io.spikeflux.aer.event.EventPacketBuilder("x", new SensorGeometry(64, 48), 4);
        b.add(1, 2, 1, 10);
        b.add(3, 4, 0, 20);
        ByteBuffer packet = Aedat4StreamEncoder.packet(b.build());
        Aedat4StreamDecoder d = new Aedat4StreamDecoder("dv", 512, 1 << 20);
        assertEquals(0, d.feed(header).size());
        ByteBuffer first = packet.duplicate().limit(20);
        assertEquals(0, d.feed(first).size(), "a partial packet yields nothing yet");
        List<EventPacket> rest = d.feed(packet.duplicate().position(20));
        assertEquals(2, events(rest).size());
        assertEquals(20, rest.get(0).timestampUs(1));
    }

    @Test
    void aStreamThatEndsInsideAPacketWasCutOff() {
        ByteBuffer header = Aedat4StreamEncoder.header(new SensorGeometry(64, 48), "cam");
        var b = new io.spikeflux.aer.event.EventPacketBuilder("x", new SensorGeometry(64, 48), 4);
        b.add(1, 2, 1, 10);
        ByteBuffer packet = Aedat4StreamEncoder.packet(b.build());
        Aedat4StreamDecoder whole = new Aedat4StreamDecoder("dv", 512, 1 << 20);
        whole.feed(header.duplicate());
        assertEquals(1, events(whole.feed(packet.duplicate())).size());
        whole.finish(); // ended between packets: nothing lost

        Aedat4StreamDecoder cut = new Aedat4StreamDecoder("dv", 512, 1 << 20);
        cut.feed(header.duplicate());
        cut.feed(packet.duplicate());
        cut.feed(packet.duplicate().limit(20));
        RuntimeException e = assertThrows(RuntimeException.class, cut::finish);
        assertTrue(e.getMessage().contains("at byte " + (header.limit() + packet.limit()))
                && e.getMessage().contains("truncated after 20 bytes"), e.getMessage());

        Aedat4StreamDecoder headless = new Aedat4StreamDecoder("dv", 512, 1 << 20);
        headless.feed(header.duplicate().limit(6));
        e = assertThrows(RuntimeException.class, headless::finish);
        assertTrue(e.getMessage().contains("at byte 0") && e.getMessage().contains("before its IOHeader"), e.getMessage());
    }
}
