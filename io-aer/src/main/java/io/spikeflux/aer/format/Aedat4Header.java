package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AEDAT 4.0 file header: magic, then the IOHeader flatbuffer with the compression, the
 * position of the FileDataTable and the infoNode XML naming each stream's type and size.
 */
record Aedat4Header(int compression, long dataTablePosition, Set<Integer> eventStreams, SensorGeometry geometry,
                    long bodyOffset) {

    private static final Pattern STREAM = Pattern.compile("<node name=\"(\\d+)\"");
    private static final Pattern ATTR = Pattern.compile("<attr key=\"(\\w+)\" type=\"\\w+\">([^<]*)</attr>");

    static Aedat4Header read(Path file) throws IOException {
        byte[] start = new byte[18];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(start, 0, 18) < 18) {
                throw new IOException("at byte 0: truncated AEDAT 4 header");
            }
            int size = java.nio.ByteBuffer.wrap(start, 14, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (size <= 0 || size > (1 << 24)) {
                throw new IOException("at byte 14: implausible IOHeader size " + size);
            }
            byte[] header = in.readNBytes(size);
            if (header.length < size) {
                throw new IOException("at byte " + (18 + header.length) + ": truncated: IOHeader of " + size + " bytes");
            }
            return parse(header, 18, 18L + size);
        }
    }

    /**
     * Parses an IOHeader flatbuffer (without its size prefix), found at byte {@code at} of a file
     * or stream (for messages); {@code bodyOffset} is where the packets start.
     */
    static Aedat4Header parse(byte[] header, long at, long bodyOffset) throws IOException {
        var b = java.nio.ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (!FlatTable.identifier(b, 0).equals("IOHE")) {
            throw new IOException("at byte " + at + ": IOHeader lacks its IOHE identifier");
        }
        FlatTable t;
        try {
            t = FlatTable.root(b, 0);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("at byte " + at + ": corrupt IOHeader: " + e.getMessage());
        }
        int compression;
        long table;
        String info;
        try {
            compression = t.intField(0, 0);
            table = t.longField(1, -1);
            info = t.stringField(2);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("at byte " + at + ": corrupt IOHeader: " + e.getMessage());
        }
        Set<Integer> eventStreams;
        SensorGeometry g;
        try {
            if (compression < 0 || compression > 4) {
                throw new IOException("at byte " + at + ": unknown compression " + compression);
            }
            eventStreams = new HashSet<>();
            g = null;
            Matcher m = STREAM.matcher(info);
            java.util.List<int[]> spans = new java.util.ArrayList<>();
            while (m.find()) {
                spans.add(new int[]{m.start(), HeaderLines.number("stream id", m.group(1))});
            }
            for (int i = 0; i < spans.size(); i++) {
                String body = info.substring(spans.get(i)[0], i + 1 < spans.size() ? spans.get(i + 1)[0] : info.length());
                Matcher a = ATTR.matcher(body);
                String type = null;
                int sx = 0;
                int sy = 0;
                while (a.find()) {
                    switch (a.group(1)) {
                        case "typeIdentifier" -> type = a.group(2);
                        case "sizeX" -> sx = HeaderLines.number("sizeX", a.group(2));
                        case "sizeY" -> sy = HeaderLines.number("sizeY", a.group(2));
                        default -> { }
                    }
                }
                if ("EVTS".equals(type)) {
                    eventStreams.add(spans.get(i)[1]);
                    if (sx > 0 && sy > 0) {
                        g = new SensorGeometry(sx, sy);
                    }
                }
            }
            if (eventStreams.isEmpty()) {
                throw new IOException("at byte " + at + ": the IOHeader declares no event (EVTS) stream");
            }
            if (g == null) {
                throw new IOException("at byte " + at + ": the event stream declares no sizeX/sizeY");
            }
        } catch (IllegalArgumentException e) { // a number that is not one, a size that is not positive
            throw new IOException("at byte " + at + ": corrupt IOHeader info: "
                    + e.getMessage().replaceAll("[^\\x20-\\x7e]", "?"));
        }
        return new Aedat4Header(compression, table, Set.copyOf(eventStreams), g, bodyOffset);
    }
}
