package io.spikeflux.aer.format;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
            RecordingFormat f = format != null ? format : FormatDetector.detect(file);
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

    private static Recording openAedat4(Path file) throws IOException {
        Aedat4Header h = Aedat4Header.read(file);
        return new Recording(file, RecordingFormat.AEDAT4, h.geometry(), h.bodyOffset(), ByteOrder.LITTLE_ENDIAN,
                () -> new Aedat4Decoder(h.compression(), h.dataTablePosition(), h.eventStreams()));
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
