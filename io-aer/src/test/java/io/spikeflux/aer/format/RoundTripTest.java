package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a writer writes, the reader reads back identically, and the format is detected from the header. */
class RoundTripTest {

    private static List<long[]> rows(Flux<EventPacket> packets) {
        List<long[]> rows = new ArrayList<>();
        for (EventPacket p : packets.toIterable()) {
            for (int i = 0; i < p.size(); i++) {
                rows.add(new long[]{p.x(i), p.y(i), p.polarity(i), p.timestampUs(i)});
            }
        }
        return rows;
    }

    private static void assertSame(List<long[]> expected, List<long[]> actual) {
        assertEquals(expected.size(), actual.size(), "event count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(java.util.Arrays.toString(expected.get(i)), java.util.Arrays.toString(actual.get(i)), "event " + i);
        }
    }

    private static Flux<EventPacket> synthetic(SensorGeometry g, int n, long t0, long seed) {
        Random r = new Random(seed);
        EventPacketBuilder b = new EventPacketBuilder("synthetic", g, 1000);
        List<EventPacket> out = new ArrayList<>();
        long t = t0;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(50);
            b.add(r.nextInt(g.width()), r.nextInt(g.height()), r.nextInt(2), t);
            if (b.isFull()) {
                out.add(b.build());
            }
        }
        if (!b.isEmpty()) {
            out.add(b.build());
        }
        return Flux.fromIterable(out);
    }

    private static List<long[]> roundTrip(Flux<EventPacket> source, SensorGeometry g, RecordingFormat f, Path file) {
        long written = RecordingWriter.writeAll(source, file, f, g).block();
        Recording back = Recording.open(file);
        assertEquals(f, back.format(), "format detected from the header");
        assertEquals(g, back.geometry());
        List<long[]> rows = rows(back.events());
        assertEquals(written, rows.size());
        return rows;
    }

    @Test
    void aedat2Dvs128AndDavisLayouts(@TempDir Path tmp) {
        for (SensorGeometry g : List.of(new SensorGeometry(128, 128), new SensorGeometry(346, 260))) {
            Flux<EventPacket> src = synthetic(g, 5000, 10, 1);
            assertSame(rows(src), roundTrip(src, g, RecordingFormats.AEDAT2, tmp.resolve("a" + g.width() + ".aedat")));
        }
    }

    @Test
    void aedat2UnwrapsThirtyTwoBitTimestamps(@TempDir Path tmp) {
        // Starts 40 ms before the 32-bit counter wraps: the file holds the low 32 bits, and the
        // reader's unwrapping restores the original times across the wrap.
        SensorGeometry g = new SensorGeometry(128, 128);
        Flux<EventPacket> src = synthetic(g, 3000, (1L << 32) - 40_000, 2);
        assertSame(rows(src), roundTrip(src, g, RecordingFormats.AEDAT2, tmp.resolve("wrap.aedat")));
    }

    @Test
    void aedat31WithUnixTimestampsFromTheRealAedat4(@TempDir Path tmp) {
        Recording real = Recording.open(GoldenRecordingsTest.EVENTS.resolve("dvxplorer_lite_sample.aedat4"));
        List<long[]> expected = rows(real.events());
        assertSame(expected, roundTrip(real.events(), real.geometry(), RecordingFormats.AEDAT31, tmp.resolve("x.aedat3")));
    }

    @Test
    void nmnistRealSample(@TempDir Path tmp) {
        Recording real = Recording.open(GoldenRecordingsTest.EVENTS.resolve("nmnist_sample.bin"));
        assertSame(rows(real.events()), roundTrip(real.events(), real.geometry(), RecordingFormats.NMNIST, tmp.resolve("n.bin")));
    }

    @Test
    void writersRefuseWhatTheFormatCannotHold(@TempDir Path tmp) {
        SensorGeometry g = new SensorGeometry(34, 34);
        assertThrows(IllegalArgumentException.class, () -> RecordingWriter.writeAll(synthetic(g, 10, 1L << 24, 3),
                tmp.resolve("late.bin"), RecordingFormats.NMNIST, g).block());
        assertThrows(IllegalArgumentException.class, () -> RecordingWriter.open(tmp.resolve("x.raw"), RecordingFormats.EVT3, g));
    }
}
