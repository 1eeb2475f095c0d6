package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every real recording in test resources decodes to the golden values of its PROVENANCE.md. */
class GoldenRecordingsTest {

    static final Path EVENTS = Path.of("src/test/resources/events");

    /** All events of a recording as rows (x, y, p, t). */
    record Decoded(Recording recording, List<long[]> events, long on) {
        long[] first(int i) {
            return events.get(i);
        }

        long[] last() {
            return events.get(events.size() - 1);
        }
    }

    static Decoded decode(String name) {
        Recording r = Recording.open(EVENTS.resolve(name));
        List<long[]> rows = new ArrayList<>();
        long on = 0;
        for (EventPacket p : r.events().toIterable()) {
            for (int i = 0; i < p.size(); i++) {
                rows.add(new long[]{p.x(i), p.y(i), p.polarity(i), p.timestampUs(i)});
                on += p.polarity(i);
            }
        }
        return new Decoded(r, rows, on);
    }

    static void assertEvent(long x, long y, long p, long t, long[] actual) {
        assertEquals(List.of(x, y, p, t), List.of(actual[0], actual[1], actual[2], actual[3]));
    }

    @Test
    void nmnistSample() {
        Decoded d = decode("nmnist_sample.bin");
        assertEquals(RecordingFormats.NMNIST, d.recording().format());
        assertEquals(4325, d.events().size());
        assertEquals(2145, d.on());
        assertEvent(7, 15, 1, 654, d.first(0));
        assertEvent(19, 18, 0, 2999, d.first(1));
        assertEvent(21, 17, 0, 3017, d.first(2));
        assertEvent(21, 14, 1, 311175, d.last());
    }

    @Test
    void ncarsDat() {
        Decoded d = decode("ncars_sample.dat");
        assertEquals(RecordingFormats.DAT, d.recording().format());
        assertEquals(2009, d.events().size());
        assertEvent(25, 8, 0, 0, d.first(0));
        assertEvent(67, 35, 0, 35, d.first(1));
        assertEvent(56, 27, 1, 152, d.first(2));
        assertEvent(75, 28, 1, 99952, d.last());
    }

    @Test
    void dvxplorerAedat4() {
        Decoded d = decode("dvxplorer_lite_sample.aedat4");
        assertEquals(RecordingFormats.AEDAT4, d.recording().format());
        assertEquals(new SensorGeometry(320, 240), d.recording().geometry());
        assertEquals(111_954, d.events().size());
        assertEquals(55_023, d.on());
        assertEvent(154, 204, 0, 1605537493718345L, d.first(0));
        assertEvent(149, 206, 0, 1605537493718348L, d.first(1));
        assertEvent(148, 199, 1, 1605537493718349L, d.first(2));
        assertEvent(88, 237, 1, 1605537494308262L, d.last());
    }

    @Test
    void gen3Evt2() {
        Decoded d = decode("prophesee_gen3_evt2_sample.raw");
        assertEquals(RecordingFormats.EVT2, d.recording().format());
        assertEquals(new SensorGeometry(640, 480), d.recording().geometry());
        assertEquals(539_481, d.events().size());
        assertEquals(367_855, d.on());
        assertEvent(237, 121, 1, 1317888, d.first(0));
        assertEvent(246, 121, 1, 1317888, d.first(1));
        assertEvent(248, 132, 1, 1317888, d.first(2));
        assertEvent(210, 142, 1, 1367888, d.last());
    }

    @Test
    void gen41Evt3TimeLowSteppingBackIsNotAWrap() {
        Decoded d = decode("prophesee_gen41_evt3_sample.raw");
        assertEquals(RecordingFormats.EVT3, d.recording().format());
        assertEquals(new SensorGeometry(1280, 720), d.recording().geometry());
        assertEquals(219_596, d.events().size());
        assertEquals(115_532, d.on());
        assertEvent(874, 200, 0, 11718656, d.first(0));
        assertEvent(806, 200, 1, 11718656, d.first(1));
        assertEvent(882, 201, 0, 11718656, d.first(2));
        assertEvent(1218, 572, 1, 11727457, d.last());
        long max = d.events().stream().mapToLong(e -> e[3]).max().orElseThrow();
        assertEquals(11727457, max, "no +4096 µs jumps from a mistaken wrap");
    }
}
