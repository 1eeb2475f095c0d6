package io.spikeflux.aer.format;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An opened recording: its format and sensor geometry from the header, and its events as a
 * stream of packets read lazily with bounded memory. Each subscription reads the file anew.
 */
public final class Recording {

    private final Path file;
    private final RecordingFormat format;
    private final SensorGeometry geometry;
    private final long bodyOffset;
    private final ByteOrder order;
    private final Supplier<EventDecoder> decoders;

    private Recording(Path file, RecordingFormat format, SensorGeometry geometry, long bodyOffset, ByteOrder order,
                      Supplier<EventDecoder> decoders) {
        this.file = file;
        this.format = format;
        this.geometry = geometry;
        this.bodyOffset = bodyOffset;
        this.order = order;
        this.decoders = decoders;
    }

    public Path file() {
        return file;
    }

    public RecordingFormat format() {
        return format;
    }

    public SensorGeometry geometry() {
        return geometry;
    }

    public Flux<EventPacket> events() {
        return events(EventPacketBuilder.DEFAULT_CAPACITY);
    }

    public Flux<EventPacket> events(int packetCapacity) {
        String id = file.getFileName().toString();
        return ChunkedRecordingReader.stream(file, bodyOffset, order, decoders,
                () -> new EventPacketBuilder(id, geometry, packetCapacity));
    }

    /** Opens a recording, detecting its format from the header (or, for N-MNIST, the extension). */
    public static Recording open(Path file) {
        return open(file, null);
    }

    /** Opens a recording in a given format, or detects it when {@code format} is null. */
    public static Recording open(Path file, RecordingFormat format) {
        if (!Files.isRegularFile(file)) {
            throw new RecordingFormatException(file, 0, "no such file");
        }
        try {
            RecordingFormat f = format != null ? format : detect(file);
            return switch (f) {
                case NMNIST -> new Recording(file, f, NmnistFiles.NMNIST_GEOMETRY, 0, ByteOrder.BIG_ENDIAN, NmnistDecoder::new);
                case AEDAT2 -> openAedat2(file);
                case AEDAT31 -> openAedat31(file);
                case AEDAT4 -> openAedat4(file);
                case EVT2, EVT3 -> openRaw(file, f);
                case DAT -> openDat(file);
            };
        } catch (IOException e) {
            throw new RecordingFormatException(file, 0, e.getMessage(), e);
        }
    }

    static RecordingFormat detect(Path file) throws IOException {
        byte[] head = new byte[4096];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (text.startsWith("#!AER-DAT4")) {
            return RecordingFormat.AEDAT4;
        }
        if (text.startsWith("#!AER-DAT3")) {
            return RecordingFormat.AEDAT31;
        }
        if (text.startsWith("#!AER-DAT2") || text.startsWith("#!AER-DAT1")) {
            return RecordingFormat.AEDAT2;
        }
        if (text.startsWith("%")) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("% evt 3") || lower.contains("format evt3")) {
                return RecordingFormat.EVT3;
            }
            if (lower.contains("% evt 2") || lower.contains("format evt2")) {
                return RecordingFormat.EVT2;
            }
            if (name.endsWith(".dat") || lower.contains("data file containing") || lower.contains("% version")) {
                return RecordingFormat.DAT;
            }
        }
        if (name.endsWith(".bin")) {
            return RecordingFormat.NMNIST;
        }
        throw new IOException("unrecognised recording format (expected AEDAT 2/3.1/4 magic, a Prophesee '%' header, "
                + "or an N-MNIST .bin file)");
    }

    private static Recording openAedat2(Path file) throws IOException {
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
        return new Recording(file, RecordingFormat.AEDAT2, g, h.bodyOffset(), ByteOrder.BIG_ENDIAN,
                () -> new Aedat2Decoder(layout));
    }

    private static Recording openAedat31(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '#', "#!END-HEADER");
        if (!h.lines().get(h.lines().size() - 1).equals("#!END-HEADER")) {
            throw new IOException("at byte " + h.bodyOffset() + ": AEDAT 3.1 header has no #!END-HEADER line");
        }
        SensorGeometry g = null;
        for (String l : h.lines()) {
            if (l.startsWith("#Source")) {
                g = KnownSensors.byName(l.substring(l.indexOf(':') + 1));
            }
        }
        if (g == null) {
            throw new IOException("at byte 0: AEDAT 3.1 header names no known sensor in its #Source line");
        }
        return new Recording(file, RecordingFormat.AEDAT31, g, h.bodyOffset(), ByteOrder.LITTLE_ENDIAN, Aedat31Decoder::new);
    }

    private static final Pattern STREAM = Pattern.compile("<node name=\"(\\d+)\"");
    private static final Pattern ATTR = Pattern.compile("<attr key=\"(\\w+)\" type=\"\\w+\">([^<]*)</attr>");

    private static Recording openAedat4(Path file) throws IOException {
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
            var b = java.nio.ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            if (!FlatTable.identifier(b, 0).equals("IOHE")) {
                throw new IOException("at byte 18: IOHeader lacks its IOHE identifier");
            }
            FlatTable t;
            try {
                t = FlatTable.root(b, 0);
            } catch (IllegalArgumentException e) {
                throw new IOException("at byte 18: corrupt IOHeader: " + e.getMessage());
            }
            int compression = t.intField(0, 0);
            long table = t.longField(1, -1);
            String info = t.stringField(2);
            if (compression < 0 || compression > 4) {
                throw new IOException("at byte 18: unknown compression " + compression);
            }
            Set<Integer> eventStreams = new HashSet<>();
            SensorGeometry g = null;
            Matcher m = STREAM.matcher(info);
            java.util.List<int[]> spans = new java.util.ArrayList<>();
            while (m.find()) {
                spans.add(new int[]{m.start(), Integer.parseInt(m.group(1))});
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
                        case "sizeX" -> sx = Integer.parseInt(a.group(2));
                        case "sizeY" -> sy = Integer.parseInt(a.group(2));
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
                throw new IOException("at byte 18: the IOHeader declares no event (EVTS) stream");
            }
            if (g == null) {
                throw new IOException("at byte 18: the event stream declares no sizeX/sizeY");
            }
            return new Recording(file, RecordingFormat.AEDAT4, g, 18L + size, ByteOrder.LITTLE_ENDIAN,
                    () -> new Aedat4Decoder(compression, table, eventStreams));
        }
    }

    private static SensorGeometry prophesee(HeaderLines h) {
        String geometry = h.value("% geometry");
        if (geometry != null) {
            return KnownSensors.byName(geometry);
        }
        String format = h.value("% format");
        if (format != null) {
            Matcher w = Pattern.compile("width=(\\d+)").matcher(format);
            Matcher ht = Pattern.compile("height=(\\d+)").matcher(format);
            if (w.find() && ht.find()) {
                return new SensorGeometry(Integer.parseInt(w.group(1)), Integer.parseInt(ht.group(1)));
            }
        }
        String width = h.value("% Width");
        String height = h.value("% Height");
        if (width != null && height != null) {
            return new SensorGeometry(Integer.parseInt(width), Integer.parseInt(height));
        }
        return KnownSensors.byName(h.value("% plugin_name"));
    }

    private static Recording openRaw(Path file, RecordingFormat f) throws IOException {
        HeaderLines h = HeaderLines.read(file, '%', "% end");
        SensorGeometry g = prophesee(h);
        if (g == null) {
            g = new SensorGeometry(1280, 720); // the openeb default
        }
        Supplier<EventDecoder> d = f == RecordingFormat.EVT2 ? Evt2Decoder::new : Evt3Decoder::new;
        return new Recording(file, f, g, h.bodyOffset(), ByteOrder.LITTLE_ENDIAN, d);
    }

    private static Recording openDat(Path file) throws IOException {
        HeaderLines h = HeaderLines.read(file, '%', null);
        SensorGeometry g = prophesee(h);
        if (g == null) {
            g = new SensorGeometry(304, 240); // ATIS, the sensor of the DAT-era datasets (N-CARS, Gen1)
        }
        byte[] typeSize = new byte[2];
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            if (ch.read(java.nio.ByteBuffer.wrap(typeSize), h.bodyOffset()) < 2) {
                throw new IOException("at byte " + h.bodyOffset() + ": truncated: no event type and size bytes");
            }
        }
        if (typeSize[1] != 8) {
            throw new IOException("at byte " + (h.bodyOffset() + 1) + ": event size " + typeSize[1]
                    + " is not supported (only 8-byte CD events)");
        }
        return new Recording(file, RecordingFormat.DAT, g, h.bodyOffset() + 2, ByteOrder.LITTLE_ENDIAN, DatDecoder::new);
    }
}
