package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** The N-MNIST / N-Caltech101 40-bit binary: no header, recognised by its {@code .bin} name. */
final class NmnistFormat extends AbstractRecordingFormat {

    NmnistFormat() {
        super("nmnist", "N-MNIST binary", List.of("bin"), List.of(".bin"));
    }

    @Override
    public boolean recognises(String head, String fileName) {
        return fileName.endsWith(".bin");
    }

    @Override
    public Recording open(Path file) throws java.io.IOException {
        return new Recording(file, this, inferGeometry(file), 0, ByteOrder.BIG_ENDIAN, NmnistDecoder::new);
    }

    /**
     * The format stores no geometry: N-MNIST's 34x34 when every address fits in it, else the ATIS
     * array the datasets were recorded with (304x240; N-Caltech101 uses up to about 240x180 of it),
     * else the 8-bit address range. Reads only the two address bytes of each record.
     */
    static SensorGeometry inferGeometry(Path file) throws java.io.IOException {
        int maxX = 0;
        int maxY = 0;
        try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
            byte[] record = new byte[NmnistDecoder.RECORD];
            while (in.readNBytes(record, 0, record.length) == record.length) {
                int x = record[0] & 0xFF;
                int y = record[1] & 0xFF;
                if (y == 240) {
                    continue; // the timestamp overflow marker
                }
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, y);
            }
        }
        if (maxX < 34 && maxY < 34) {
            return NmnistFiles.NMNIST_GEOMETRY;
        }
        if (maxX < 304 && maxY < 240) {
            return io.spikeflux.aer.event.KnownCamera.ATIS.geometry();
        }
        return new SensorGeometry(256, 256);
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
        return new NmnistWriter(file, geometry);
    }
}
