package io.spikeflux.aer.format;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry is the one place formats are found: by name, by content and by extension. */
class RecordingFormatsTest {

    private static final Path EVENTS = Path.of("src", "test", "resources", "events");

    @Test
    void everyFormatIsFoundByItsNameAndAliases() {
        for (RecordingFormat f : RecordingFormats.ALL) {
            assertSame(f, RecordingFormats.parse(f.name()));
            assertSame(f, RecordingFormats.parse(f.name().toUpperCase()));
            f.aliases().forEach(a -> assertSame(f, RecordingFormats.parse(a), a));
            assertFalse(f.extensions().isEmpty(), f.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordingFormats.parse("mp4"));
        assertTrue(e.getMessage().contains("aedat4") && e.getMessage().contains("evt3"), e.getMessage());
    }

    @Test
    void theRealRecordingsAreDetectedByContent() throws IOException {
        Map<String, RecordingFormat> expected = Map.of(
                "nmnist_sample.bin", RecordingFormats.NMNIST,
                "ncars_sample.dat", RecordingFormats.DAT,
                "dvxplorer_lite_sample.aedat4", RecordingFormats.AEDAT4,
                "prophesee_gen3_evt2_sample.raw", RecordingFormats.EVT2,
                "prophesee_gen41_evt3_sample.raw", RecordingFormats.EVT3);
        for (var e : expected.entrySet()) {
            assertSame(e.getValue(), RecordingFormats.detect(EVENTS.resolve(e.getKey())), e.getKey());
        }
    }

    @Test
    void writersAreChosenByExtensionAndOnlyWritableFormatsHaveThem() {
        assertSame(RecordingFormats.AEDAT2, RecordingFormats.forWriting(Path.of("out.aedat")));
        assertSame(RecordingFormats.AEDAT31, RecordingFormats.forWriting(Path.of("OUT.AEDAT3")));
        assertSame(RecordingFormats.NMNIST, RecordingFormats.forWriting(Path.of("x.bin")));
        assertThrows(IllegalArgumentException.class, () -> RecordingFormats.forWriting(Path.of("x.raw")));
        for (RecordingFormat f : RecordingFormats.ALL) {
            if (!f.writable()) {
                assertThrows(IllegalArgumentException.class, () -> f.newWriter(Path.of("never-written"), null), f.name());
            }
        }
        assertEquals(3, RecordingFormats.ALL.stream().filter(RecordingFormat::writable).count());
    }
}
