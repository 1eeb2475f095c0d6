package io.spikeflux.aer.format;

import com.github.luben.zstd.Zstd;
import io.spikeflux.aer.event.EventPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad recordings fail with the file, the byte offset and the reason; never a silent partial result. */
class BadInputTest {

    private static final Path EVENTS = GoldenRecordingsTest.EVENTS;

    private static RecordingFormatException failure(Path file) {
        return assertThrows(RecordingFormatException.class,
                () -> Recording.open(file).events().blockLast());
    }

    @Test
    void truncatedNmnistNamesTheOffsetOfTheIncompleteEvent(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("nmnist_sample.bin"));
        Path cut = tmp.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(all, all.length - 2));
        RecordingFormatException e = failure(cut);
        assertEquals(all.length - 5, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void coordinatesOutsideTheSensor(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("nmnist_sample.bin"));
        all[5 * 10] = 40; // x of event 10 beyond 34
        Path bad = tmp.resolve("bad.bin");
        Files.write(bad, all);
        // N-MNIST files carry no size: one address beyond 34 makes it an ATIS (N-Caltech101) recording
        assertEquals(new io.spikeflux.aer.event.SensorGeometry(304, 240), Recording.open(bad).geometry());
        // with the size given, the event is outside it
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> Recording.open(bad)
                .withGeometry(new io.spikeflux.aer.event.SensorGeometry(34, 34)).events().blockLast());
        assertEquals(50, e.offset());
        assertTrue(e.getMessage().contains("outside the 34x34 sensor"), e.getMessage());
    }

    @Test
    void unknownMagicIsRejectedUpFront(@TempDir Path tmp) throws Exception {
        Path text = tmp.resolve("notes.aedat");
        Files.writeString(text, "hello, this is not a recording\n");
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> Recording.open(text));
        assertTrue(e.getMessage().contains("unrecognised recording format"), e.getMessage());
    }

    @Test
    void corruptLz4PacketNamesItsOffset(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        int firstPacket = 18 + 2316;
        // keep the packet header, wreck the LZ4 frame magic of its body
        all[firstPacket + 8] ^= 0x55;
        Path bad = tmp.resolve("bad.aedat4");
        Files.write(bad, all);
        RecordingFormatException e = failure(bad);
        assertEquals(firstPacket, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt LZ4 packet"), e.getMessage());
    }

    @Test
    void aPacketDeclaringMoreThanTheFileHoldsIsTruncatedNotAllocated(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        int firstPacket = 18 + 2316;
        for (int size : new int[]{1 << 28, 1 << 30, Integer.MAX_VALUE}) {
            java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(firstPacket + 4, size);
            Path bad = tmp.resolve("huge-" + size + ".aedat4");
            Files.write(bad, all);
            RecordingFormatException e = failure(bad);
            assertEquals(firstPacket, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("bytes left"), e.getMessage());
        }
    }

    @Test
    void truncatedEvt3AndAedat4(@TempDir Path tmp) throws Exception {
        byte[] evt3 = Files.readAllBytes(EVENTS.resolve("prophesee_gen41_evt3_sample.raw"));
        Path cut = tmp.resolve("cut.raw");
        Files.write(cut, Arrays.copyOf(evt3, evt3.length - 1));
        assertTrue(failure(cut).getMessage().contains("truncated"));
        byte[] a4 = Files.readAllBytes(EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        Path cut4 = tmp.resolve("cut.aedat4");
        Files.write(cut4, Arrays.copyOf(a4, 500_000));
        RecordingFormatException e = failure(cut4);
        assertTrue(e.getMessage().contains("truncated") && e.offset() < 500_000, e.getMessage());
    }

    /** The same recording re-packed with ZSTD instead of LZ4 decodes to the same events. */
    @Test
    void zstdCompressedAedat4(@TempDir Path tmp) throws Exception {
        Path src = EVENTS.resolve("dvxplorer_lite_sample.aedat4");
        byte[] all = Files.readAllBytes(src);
        int headerSize = ByteBuffer.wrap(all, 14, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int body = 18 + headerSize;
        ByteBuffer out = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        byte[] header = Arrays.copyOf(all, body);
        // compression is the IOHeader's first field; with ForceDefaults it is always present
        ByteBuffer h = ByteBuffer.wrap(header, 18, headerSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        int table = h.getInt(0);
        int vtable = table - h.getInt(table);
        int compressionField = table + h.getShort(vtable + 4);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(18 + compressionField, 3);
        // and the data table position (second field): none
        int tableField = table + h.getShort(vtable + 6);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putLong(18 + tableField, -1L);
        out.put(header);
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int p = body;
        long tablePos = 945_243;
        while (p < tablePos) {
            int stream = in.getInt(p);
            int size = in.getInt(p + 4);
            byte[] raw = Lz4FrameDecoder.decompress(Arrays.copyOfRange(all, p + 8, p + 8 + size));
            byte[] z = Zstd.compress(raw);
            out.putInt(stream).putInt(z.length).put(z);
            p += 8 + size;
        }
        Path zstd = tmp.resolve("zstd.aedat4");
        Files.write(zstd, Arrays.copyOf(out.array(), out.position()));
        long events = 0;
        long last = 0;
        for (EventPacket packet : Recording.open(zstd).events().toIterable()) {
            events += packet.size();
            last = packet.lastTimestampUs();
        }
        assertEquals(111_954, events);
        assertEquals(1605537494308262L, last);
    }
}
