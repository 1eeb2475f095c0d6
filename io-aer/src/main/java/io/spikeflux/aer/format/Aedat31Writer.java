package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** AEDAT 3.1 with one polarity packet per event packet (split where the timestamp overflow changes). */
final class Aedat31Writer extends RecordingWriter {

    Aedat31Writer(Path file, SensorGeometry g) throws IOException {
        super(file, g);
        String source = g.width() == 128 && g.height() == 128 ? "DVS128"
                : g.width() == 346 && g.height() == 260 ? "DAVIS346"
                : g.width() == 240 && g.height() == 180 ? "DAVIS240" : "SpikeFlux-" + g.width() + "x" + g.height();
        writeHeader("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: " + source + "\r\n#Start-Time: "
                + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '(TZ'Z')'")) + "\r\n"
                + "#!END-HEADER\r\n");
    }

    @Override
    protected void encode(EventPacket p, OutputStream out) throws IOException {
        int i = 0;
        while (i < p.size()) {
            long overflow = p.timestampUs(i) >>> 31;
            int j = i;
            while (j < p.size() && p.timestampUs(j) >>> 31 == overflow) {
                j++;
            }
            int n = j - i;
            ByteBuffer b = buffer(Aedat31Decoder.HEADER + 8 * n, ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) 1).putShort((short) 1).putInt(8).putInt(4).putInt((int) overflow)
                    .putInt(n).putInt(n).putInt(n);
            for (int k = i; k < j; k++) {
                int x = p.x(k);
                int y = p.y(k);
                checkInside(x, y);
                b.putInt(x << 17 | y << 2 | p.polarity(k) << 1 | 1);
                b.putInt((int) (p.timestampUs(k) & 0x7FFFFFFFL));
            }
            out.write(b.array());
            i = j;
        }
    }
}
