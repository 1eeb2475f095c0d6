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
    void theFullEightBitAddressRangeReads(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("nmnist_sample.bin"));
        all[5 * 10] = (byte) 255; // x of event 10: the largest 8-bit address
        all[5 * 10 + 1] = (byte) 250; // its y: past the ATIS array, not the overflow marker (240)
        Path wide = tmp.resolve("wide.bin");
        Files.write(wide, all);
        Recording r = Recording.open(wide);
        assertEquals(new io.spikeflux.aer.event.SensorGeometry(256, 256), r.geometry(), "inferred from the addresses");
        java.util.List<io.spikeflux.aer.event.EventPacket> packets = r.events().collectList().block();
        int seen = 0;
        long total = 0;
        for (var p : packets) {
            for (int i = 0; i < p.size(); i++, total++) {
                if (total == 10) {
                    assertEquals(255, p.x(i));
                    assertEquals(250, p.y(i));
                    seen++;
                }
            }
        }
        assertEquals(1, seen, "event 10 is read where the file puts it");
        assertEquals(all.length / 5, total, "and no event is lost");
        // a size given by the user is used as it is
        assertEquals(new io.spikeflux.aer.event.SensorGeometry(304, 256),
                Recording.open(wide).withGeometry(new io.spikeflux.aer.event.SensorGeometry(304, 256)).geometry());
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

    /**
     * The DVXplorer recording's file header, declaring {@code compression} (0 none, 1 LZ4, 3 ZSTD)
     * and no data table.
     */
    private static byte[] aedat4Header(byte[] all, int compression) {
        int headerSize = ByteBuffer.wrap(all, 14, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] header = Arrays.copyOf(all, 18 + headerSize);
        // compression is the IOHeader's first field; with ForceDefaults it is always present
        ByteBuffer h = ByteBuffer.wrap(header, 18, headerSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        int table = h.getInt(0);
        int vtable = table - h.getInt(table);
        int compressionField = table + h.getShort(vtable + 4);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(18 + compressionField, compression);
        // and the data table position (second field): none
        int tableField = table + h.getShort(vtable + 6);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putLong(18 + tableField, -1L);
        return header;
    }

    /** A recording of one packet of the event stream (stream 0) with the given body. */
    private static Path onePacket(Path file, int compression, byte[] body) throws Exception {
        byte[] all = Files.readAllBytes(EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        byte[] header = aedat4Header(all, compression);
        ByteBuffer out = ByteBuffer.allocate(header.length + 8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header).putInt(0).putInt(body.length).put(body);
        Files.write(file, out.array());
        return file;
    }

    /** An LZ4 frame of one block: one literal, then one match repeating it {@code length} times. */
    static byte[] lz4Bomb(long length) {
        long extra = length - 4 - 15;
        int runs = (int) (extra / 255);
        ByteBuffer block = ByteBuffer.allocate(4 + runs + 1).order(ByteOrder.LITTLE_ENDIAN);
        block.put((byte) 0x1F).put((byte) 'x').putShort((short) 1);
        for (int i = 0; i < runs; i++) {
            block.put((byte) 0xFF);
        }
        block.put((byte) (extra % 255));
        ByteBuffer frame = ByteBuffer.allocate(7 + 4 + block.capacity() + 4).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(0x184D2204).put((byte) 0x60).put((byte) 0x70).put((byte) 0);
        frame.putInt(block.capacity()).put(block.array()).putInt(0);
        return frame.array();
    }

    /** A ZSTD frame whose content begins with the 4-byte size prefix given, then {@code zeros} zero bytes (RLE blocks). */
    static byte[] zstdBomb(int prefix, long zeros) {
        int blocks = (int) ((zeros + (1 << 17) - 1) >> 17);
        ByteBuffer f = ByteBuffer.allocate(6 + 7 + blocks * 4).order(ByteOrder.LITTLE_ENDIAN);
        // magic, a descriptor with neither content size nor checksum, a 128 kB window
        f.putInt(0xFD2FB528).put((byte) 0).put((byte) 0x38);
        // a raw block of the 4 prefix bytes, then RLE blocks of 128 kB zeros
        f.put((byte) (4 << 3)).put((byte) 0).put((byte) 0).putInt(prefix);
        long left = zeros;
        for (int b = 0; b < blocks; b++) {
            int n = (int) Math.min(left, 1 << 17);
            left -= n;
            int h = (b == blocks - 1 ? 1 : 0) | 1 << 1 | n << 3;
            f.put((byte) h).put((byte) (h >>> 8)).put((byte) (h >>> 16)).put((byte) 0);
        }
        return f.array();
    }

    @Test
    void compressionBombsAreRefusedAtTheLimitAndZstdOnesByTheirDeclaredSize(@TempDir Path tmp) throws Exception {
        long limit = Aedat4Decoder.MAX_DECOMPRESSED;
        // the 622 kB LZ4 packet that inflates to 150 MB
        RecordingFormatException lz4 = failure(onePacket(tmp.resolve("lz4-bomb.aedat4"), 1, lz4Bomb(150_000_000)));
        assertTrue(lz4.getMessage().contains("corrupt LZ4 packet: LZ4 frame inflates beyond " + limit + " bytes"),
                lz4.getMessage());
        // a 32 kB ZSTD packet of 1 GiB whose flatbuffer says so, and one that says 4 bytes
        RecordingFormatException declared = failure(onePacket(tmp.resolve("zstd-bomb.aedat4"), 3,
                zstdBomb((1 << 30) - 4, 1L << 30)));
        assertTrue(declared.getMessage().contains("corrupt ZSTD packet: its flatbuffer declares 1073741824 bytes, more than the limit of "
                + limit), declared.getMessage());
        RecordingFormatException small = failure(onePacket(tmp.resolve("zstd-small.aedat4"), 3, zstdBomb(0, 1L << 30)));
        assertTrue(small.getMessage().contains("identifier '', expected EVTS"), small.getMessage());
        // both inflate lazily: a frame that declares 2 MB and holds 1 GiB is read to 2 MB, then parsed
        long before = allocatedBytes();
        RecordingFormatException more = failure(onePacket(tmp.resolve("zstd-more.aedat4"), 3, zstdBomb(2 << 20, 1L << 30)));
        assertTrue(allocatedBytes() - before < 64 << 20, "allocated " + (allocatedBytes() - before) + " bytes");
        // its identifier is four NUL bytes: the message quotes them printably, in one line
        assertTrue(more.getMessage().contains("identifier '????', expected EVTS"), more.getMessage());
    }

    @Test
    void aPacketLargerThanTheLimitIsRefusedEvenWhenTheFileHoldsIt(@TempDir Path tmp) throws Exception {
        int size = ChunkedRecordingReader.MAX_RECORD_BYTES + 1;
        Path big = onePacket(tmp.resolve("big.aedat4"), 0, new byte[size]);
        RecordingFormatException e = failure(big);
        assertEquals(Files.size(big) - 8 - size, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("a record of " + (size + 8) + " bytes starts here, more than the limit"), e.getMessage());

        // the buffer grown by earlier large packets (20 MiB, then 30) does not let a larger one through
        byte[] all = Files.readAllBytes(EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        byte[] header = aedat4Header(all, 0);
        int[] sizes = {20 << 20, 30 << 20, ChunkedRecordingReader.MAX_RECORD_BYTES - 4};
        ByteBuffer out = ByteBuffer.allocate(header.length + 3 * 8 + java.util.Arrays.stream(sizes).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        for (int s : sizes) {
            out.putInt(7).putInt(s).position(out.position() + s); // a skipped stream's packets
        }
        Path grown = tmp.resolve("grown.aedat4");
        Files.write(grown, out.array());
        e = failure(grown);
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    @Test
    void absurdHeaderNumbersAreNamedWithTheFileAndField(@TempDir Path tmp) throws Exception {
        byte[] dat = Files.readAllBytes(EVENTS.resolve("ncars_sample.dat"));
        Path wide = tmp.resolve("wide.dat");
        Files.write(wide, concat("% Width 99999999999\n% Height 240\n".getBytes(), dat));
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> Recording.open(wide));
        assertEquals(wide + ": at byte 0: unreadable header: % Width 99999999999 is out of range", e.getMessage());
        byte[] evt2 = Files.readAllBytes(EVENTS.resolve("prophesee_gen3_evt2_sample.raw"));
        Path huge = tmp.resolve("huge.raw");
        Files.write(huge, concat("% geometry 2147483647x2147483647\n".getBytes(), evt2));
        e = assertThrows(RecordingFormatException.class, () -> Recording.open(huge));
        assertEquals(huge + ": at byte 0: unreadable header: sensor geometry must be 1x1 to 4096x4096: 2147483647x2147483647",
                e.getMessage());
        Path word = tmp.resolve("word.raw");
        Files.write(word, concat("% format EVT2;height=tall;width=640\n".getBytes(), evt2));
        assertTrue(Recording.open(word).geometry().width() == 640, "a format line without numbers falls back to the plugin name");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bytes allocated by every thread so far (the reader runs on Reactor's threads). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** The same recording re-packed with ZSTD instead of LZ4 decodes to the same events. */
    @Test
    void zstdCompressedAedat4(@TempDir Path tmp) throws Exception {
        Path src = EVENTS.resolve("dvxplorer_lite_sample.aedat4");
        byte[] all = Files.readAllBytes(src);
        byte[] header = aedat4Header(all, 3);
        int body = header.length;
        ByteBuffer out = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int p = body;
        long tablePos = 945_243;
        while (p < tablePos) {
            int stream = in.getInt(p);
            int size = in.getInt(p + 4);
            ByteBuffer inflated = Lz4FrameDecoder.decompress(Arrays.copyOfRange(all, p + 8, p + 8 + size), 1 << 26);
            byte[] raw = new byte[inflated.remaining()];
            inflated.get(raw);
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
