package io.spikeflux.aer.format;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** AEDAT 2.0 as jAER writes it: DVS128 addresses for 128x128 sensors, DAVIS addresses otherwise. */
final class Aedat2Writer extends RecordingWriter {

    private final AddressLayout layout;

    Aedat2Writer(Path file, SensorGeometry g) throws IOException {
        super(file, g);
        boolean dvs128 = g.width() == 128 && g.height() == 128;
        if (!dvs128 && (g.width() > 1024 || g.height() > 512)) {
            throw new IllegalArgumentException("AEDAT 2.0 DAVIS addresses hold at most 1024x512 pixels, not " + g);
        }
        this.layout = AddressLayout.forGeometry(g);
        String chip = dvs128 ? "ch.unizh.ini.jaer.chip.retina.DVS128" : "eu.seebetter.ini.chips.davis.Davis346";
        writeHeader("#!AER-DAT2.0\r\n"
                + "# This is a raw AE data file - do not edit\r\n"
                + "# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event\r\n"
                + "# Timestamps tick: 1 us\r\n"
                + "# AEChip: " + chip + "\r\n"
                + "# SpikeFlux-Sensor: " + g.width() + "x" + g.height() + "\r\n"
                + "#End Of ASCII Header\r\n");
    }

    @Override
    protected void encode(EventPacket p, OutputStream out) throws IOException {
        ByteBuffer b = buffer(p.size() * Aedat2Decoder.RECORD, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < p.size(); i++) {
            int x = p.x(i);
            int y = p.y(i);
            checkInside(x, y);
            b.putInt(layout.encode(x, y, p.polarity(i), geometry));
            b.putInt((int) p.timestampUs(i));
        }
        out.write(b.array());
    }
}
