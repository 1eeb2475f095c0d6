package io.spikeflux.engine.sensor;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.RecordingFormats;
import io.spikeflux.aer.format.RecordingWriter;
import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.EventDataset;
import io.spikeflux.engine.encode.SpikeStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorMappingTest {

    @ParameterizedTest
    @EnumSource(FitMode.class)
    void anIntegerUpscaleMapsBackOntoTheOriginalPixels(FitMode fit) {
        for (int k : new int[]{2, 4, 5}) {
            SensorMapping m = new InputFit(null, fit).mapping(new SensorGeometry(34 * k, 34 * k), 34, 34);
            for (int x = 0; x < 34; x++) {
                for (int i = 0; i < k; i++) {
                    assertEquals(x, m.column(k * x + i), fit + " x" + k);
                    assertEquals(x, m.row(k * x + i), fit + " x" + k);
                }
            }
        }
    }

    @Test
    void aRegionOfInterestIsCutOutOneToOne() {
        SensorMapping m = new InputFit(new RegionOfInterest(156, 113, 34, 34), FitMode.CROP)
                .mapping(new SensorGeometry(346, 260), 34, 34);
        assertEquals(0, m.column(156));
        assertEquals(33, m.column(189));
        assertEquals(-1, m.column(155));
        assertEquals(-1, m.column(190));
        assertEquals(0, m.row(113));
        assertEquals(-1, m.row(147));
        assertEquals(-1, m.column(400), "off the sensor");
        assertTrue(new InputFit(null, FitMode.CROP).mapping(new SensorGeometry(34, 34), 34, 34).isIdentity());
    }

    @Test
    void cropStretchAndPadOfA320x240Sensor() {
        SensorGeometry dvx = new SensorGeometry(320, 240);
        SensorMapping crop = InputFit.DEFAULT.mapping(dvx, 34, 34);
        // the centre 240x240: columns 40..279
        assertEquals(-1, crop.column(39));
        assertEquals(0, crop.column(40));
        assertEquals(33, crop.column(279));
        assertEquals(-1, crop.column(280));
        assertEquals(0, crop.row(0));
        assertEquals(33, crop.row(239));
        SensorMapping stretch = new InputFit(null, FitMode.STRETCH).mapping(dvx, 34, 34);
        assertEquals(0, stretch.column(0));
        assertEquals(33, stretch.column(319));
        assertEquals(33, stretch.row(239));
        SensorMapping pad = new InputFit(null, FitMode.PAD).mapping(dvx, 34, 34);
        // 320x240 scaled into 34 wide is 25 rows high, centred: rows 4..28
        assertEquals(0, pad.column(0));
        assertEquals(33, pad.column(319));
        assertEquals(4, pad.row(0));
        assertEquals(28, pad.row(239));
        assertEquals("320x240 -> crop 240x240 pooled to 34x34 input", crop.toString());
    }

    /** The emulated N-MNIST recordings, rewritten as coming from another sensor. */
    private static Path rewrite(Path dir, int shiftX, int shiftY, int scale, SensorGeometry sensor) throws Exception {
        List<io.spikeflux.aer.format.LabelledRecording> recordings =
                io.spikeflux.aer.format.LabelledRecordings.list(TestModels.NMNIST_EMU, 12);
        StringBuilder csv = new StringBuilder("index,label,file\n");
        for (var r : recordings) {
            String name = r.label() + "/" + r.file().getFileName().toString().replace(".bin", ".aedat");
            csv.append(csv.length()).append(',').append(r.label()).append(',').append(name).append('\n');
            Path out = dir.resolve(name);
            Files.createDirectories(out.getParent());
            List<EventPacket> packets = io.spikeflux.aer.format.Recording.open(r.file()).events().collectList().block();
            try (RecordingWriter w = RecordingWriter.open(out, RecordingFormats.AEDAT31, sensor)) {
                for (EventPacket p : packets) {
                    EventPacketBuilder b = new EventPacketBuilder("x", sensor, p.size());
                    for (int i = 0; i < p.size(); i++) {
                        // upscaling: each event moves to some pixel (k*x + i, k*y + j) of its k x k block
                        b.add(shiftX + scale * p.x(i) + i % scale, shiftY + scale * p.y(i) + (i / scale) % scale,
                                p.polarity(i), p.timestampUs(i));
                    }
                    w.write(b.build());
                }
            }
        }
        Files.writeString(dir.resolve("recordings.csv"), csv); // the original order
        return dir;
    }

    private static void assertSameSteps(EventDataset expected, EventDataset actual) {
        for (int s = 0; s < 12; s++) {
            List<SpikeStep> a = expected.get(s).steps(300, 1).collectList().block();
            List<SpikeStep> b = actual.get(s).steps(300, 1).collectList().block();
            assertEquals(a.size(), b.size());
            for (int t = 0; t < a.size(); t++) {
                assertArrayEquals(a.get(t).indices(), b.get(t).indices(), "sample " + s + " step " + t);
                for (int k = 0; k < a.get(t).count(); k++) {
                    assertEquals(a.get(t).valueAt(k), b.get(t).valueAt(k), "sample " + s + " step " + t);
                }
            }
            float[] annA = expected.get(s).annInput();
            float[] annB = actual.get(s).annInput();
            for (int i = 0; i < annA.length; i++) {
                assertEquals(annA[i], annB[i]);
            }
        }
    }

    @Test
    void recordingsShiftedIntoADavis346FrameAndSelectedByRoiGiveTheOriginalSteps(@TempDir Path tmp) throws Exception {
        SensorGeometry davis = new SensorGeometry(346, 260);
        Path shifted = rewrite(tmp, 156, 113, 1, davis);
        EventDataset mapped = EventDataset.load(shifted, 34, 34, 1000, 300, null,
                new InputFit(new RegionOfInterest(156, 113, 34, 34), FitMode.CROP));
        assertSameSteps(TestModels.nmnistEmu(), mapped);
    }

    @ParameterizedTest
    @EnumSource(FitMode.class)
    void recordingsUpscaledFourTimesAndFittedBackGiveTheOriginalCounts(FitMode fit, @TempDir Path tmp) throws Exception {
        Path upscaled = rewrite(tmp, 0, 0, 4, new SensorGeometry(136, 136));
        EventDataset mapped = EventDataset.load(upscaled, 34, 34, 1000, 300, null, new InputFit(null, fit));
        assertSameSteps(TestModels.nmnistEmu(), mapped);
    }
}
