package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** N-MNIST binary: 5 bytes per event; coordinates below 256, timestamps below 2^23 µs (8.4 s). */
final class NmnistWriter extends RecordingWriter {

    private static final long MAX_TIME = (1L << 23) - 1;

    NmnistWriter(Path file, SensorGeometry g) throws IOException {
        super(file, g);
        if (g.width() > 256 || g.height() > 240) {
            throw new IllegalArgumentException("N-MNIST binary holds at most 256x240 pixels, not " + g);
        }
    }

    @Override
    protected void encode(EventPacket p, OutputStream out) throws IOException {
        byte[] b = new byte[p.size() * NmnistDecoder.RECORD];
        for (int i = 0; i < p.size(); i++) {
            int x = p.x(i);
            int y = p.y(i);
            checkInside(x, y);
            long t = p.timestampUs(i);
            if (t < 0 || t > MAX_TIME) {
                throw new IllegalArgumentException(file + ": timestamp " + t + " µs does not fit N-MNIST's 23 bits");
            }
            int o = i * NmnistDecoder.RECORD;
            b[o] = (byte) x;
            b[o + 1] = (byte) y;
            b[o + 2] = (byte) (p.polarity(i) << 7 | (int) (t >>> 16) & 0x7F);
            b[o + 3] = (byte) (t >>> 8);
            b[o + 4] = (byte) t;
        }
        out.write(b);
    }
}
