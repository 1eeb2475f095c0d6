package io.spikeflux.aer.format;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One event-recording format, all in one place: how to recognise it, how to read its header and
 * events, and how to write it (when SpikeFlux can). Every format is registered in
 * {@link RecordingFormats#ALL}, which is what detection, {@code --format} names and file-name
 * extensions are looked up in.
 */
public interface RecordingFormat {

    /** The name users type, e.g. {@code aedat4}. */
    String name();

    /** Other names accepted for it, e.g. {@code aedat40}. */
    List<String> aliases();

    /** The name shown to users, e.g. {@code AEDAT 4.0}. */
    String title();

    /** File-name extensions, lower case with the dot; the first is the one a writer uses. */
    List<String> extensions();

    /**
     * Whether a file is in this format, from its first bytes (as ISO-8859-1 text, up to 4 KiB) and
     * its lower-case file name.
     */
    boolean recognises(String head, String fileName);

    /** Reads the header: sensor geometry, where the events start, and the event decoder. */
    Recording open(Path file) throws IOException;

    /**
     * Whether its timestamps are too narrow for absolute microsecond clocks (AEDAT 2.0: 32 bits,
     * N-MNIST: 23 bits), so that written recordings start their time at the first event.
     */
    default boolean narrowClock() {
        return false;
    }

    default boolean writable() {
        return false;
    }

    /** A writer of this format; only for {@link #writable()} formats. */
    default RecordingWriter newWriter(Path file, SensorGeometry geometry) throws IOException {
        throw new IllegalArgumentException(title() + " cannot be written; write one of " + RecordingFormats.writableNames());
    }
}
