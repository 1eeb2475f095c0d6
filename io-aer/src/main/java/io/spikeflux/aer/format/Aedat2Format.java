package io.spikeflux.aer.format;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** jAER's AEDAT 2.0 (and 1.0): an ASCII header, then big-endian address and timestamp words. */
final class Aedat2Format extends AbstractRecordingFormat {

    Aedat2Format() {
        super("aedat2", "AEDAT 2.0", List.of("aedat20", "aedat"), List.of(".aedat", ".aedat2"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        return head.startsWith("#!AER-DAT2") || head.startsWith("#!AER-DAT1");
    }

    @Override
    public Recording open(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '#', "#End Of ASCII Header");
        String chip = h.value("# AEChip:");
        SensorGeometry g = KnownSensors.byName(chip);
        String sensor = h.value("# SpikeFlux-Sensor:");
        if (sensor != null) {
            g = KnownSensors.byName(sensor);
        }
        if (g == null) {
            g = new SensorGeometry(346, 260);
        }
        AddressLayout layout = chip != null && chip.toLowerCase(Locale.ROOT).contains("dvs128")
                ? AddressLayout.DVS128 : AddressLayout.DAVIS;
        return new Recording(file, this, g, h.bodyOffset(), ByteOrder.BIG_ENDIAN, () -> new Aedat2Decoder(layout));
    }

    @Override
    public boolean narrowClock() {
        return true;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public RecordingWriter newWriter(Path file, SensorGeometry geometry) throws IOException {
        return new Aedat2Writer(file, geometry);
    }
}
