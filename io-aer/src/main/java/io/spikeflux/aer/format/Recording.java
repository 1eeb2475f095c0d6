package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

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

    Recording(Path file, RecordingFormat format, SensorGeometry geometry, long bodyOffset, ByteOrder order,
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

    /** The same recording read as coming from a sensor of {@code g} (for formats whose header has no geometry). */
    public Recording withGeometry(SensorGeometry g) {
        return new Recording(file, format, g, bodyOffset, order, decoders);
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
    private static final java.util.regex.Pattern AT_BYTE = java.util.regex.Pattern.compile("at byte (\\d{1,18}): (.*)");

    public static Recording open(Path file, RecordingFormat format) {
        if (!Files.isRegularFile(file)) {
            throw new RecordingFormatException(file, 0, "no such file");
        }
        try {
            return (format != null ? format : RecordingFormats.detect(file)).open(file);
        } catch (IOException e) {
            // header readers say where they stopped ("at byte N: reason"): the offset is given once
            String m = RecordingFormatException.printable(String.valueOf(e.getMessage()));
            java.util.regex.Matcher at = AT_BYTE.matcher(m);
            if (at.matches()) {
                throw new RecordingFormatException(file, Long.parseLong(at.group(1)), at.group(2), e);
            }
            throw new RecordingFormatException(file, 0, m, e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            // a header field that is not a number, a size that is not positive: named, with the file
            throw new RecordingFormatException(file, 0, "unreadable header: "
                    + RecordingFormatException.printable(String.valueOf(e.getMessage())), e);
        }
    }
}
