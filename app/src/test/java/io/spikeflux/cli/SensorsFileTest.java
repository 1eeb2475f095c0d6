package io.spikeflux.cli;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.RegionOfInterest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorsFileTest {

    @Test
    void namesSizesAndMapsEachCamera(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("sensors.txt");
        Files.writeString(f, """
                # the shop floor
                10.0.0.7:8991   door    davis346  roi=156,113,34,34
                10.0.0.8        belt    640x480   fit=stretch   # any port
                """);
        SensorsFile s = SensorsFile.read(f, InputFit.DEFAULT);
        assertEquals("door", s.sources().lookup("10.0.0.7", 8991).name());
        assertEquals(new SensorGeometry(346, 260), s.sources().lookup("10.0.0.7", 8991).geometry());
        assertEquals(null, s.sources().lookup("10.0.0.7", 9000), "another port of that host is not the door camera");
        assertEquals("belt", s.sources().lookup("10.0.0.8", 1234).name());
        assertEquals(new InputFit(new RegionOfInterest(156, 113, 34, 34), FitMode.CROP), s.sensorFits(InputFit.DEFAULT)
                .forSensor("door"));
        assertEquals(FitMode.STRETCH, s.sensorFits(InputFit.DEFAULT).forSensor("belt").fit());
        assertEquals(InputFit.DEFAULT, s.sensorFits(InputFit.DEFAULT).forSensor("127.0.0.1:5000"));
    }

    @Test
    void mistakesNameTheLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("sensors.txt");
        Files.writeString(f, "10.0.0.7 door davis346\n10.0.0.9 gate davis346 roi=340,0,34,34\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SensorsFile.read(f, InputFit.DEFAULT));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("reaches outside the 346x260 sensor"),
                e.getMessage());
        Files.writeString(f, "10.0.0.7 door hal9000\n");
        e = assertThrows(IllegalArgumentException.class, () -> SensorsFile.read(f, InputFit.DEFAULT));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("unknown camera 'hal9000'"), e.getMessage());
        Files.writeString(f, "10.0.0.7 door davis346\n10.0.0.8 door dvxplorer\n");
        e = assertThrows(IllegalArgumentException.class, () -> SensorsFile.read(f, InputFit.DEFAULT));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("name 'door' is already used on line 1"),
                e.getMessage());
    }

    @Test
    void camerasGoByTheirOtherNamesToo(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("sensors.txt");
        Files.writeString(f, "10.0.0.7 hd imx636\n10.0.0.8 vga gen3\n10.0.0.9 hd2 GEN4\n");
        SensorsFile s = SensorsFile.read(f, InputFit.DEFAULT);
        assertEquals(new SensorGeometry(1280, 720), s.sources().lookup("10.0.0.7", 1).geometry());
        assertEquals(new SensorGeometry(640, 480), s.sources().lookup("10.0.0.8", 1).geometry());
        assertEquals(new SensorGeometry(1280, 720), s.sources().lookup("10.0.0.9", 1).geometry());
    }
}
