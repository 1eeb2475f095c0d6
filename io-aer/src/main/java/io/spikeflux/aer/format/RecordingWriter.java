package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes event packets to a file in one of the writable formats ({@link RecordingFormat#newWriter}). */
public abstract class RecordingWriter implements Closeable {

    protected final Path file;
    protected final SensorGeometry geometry;
    private final OutputStream out;
    private long events;

    protected RecordingWriter(Path file, SensorGeometry geometry) throws IOException {
        this.file = file;
        this.geometry = geometry;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    public static RecordingWriter open(Path file, RecordingFormat format, SensorGeometry geometry) {
        try {
            return format.newWriter(file, geometry);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes all packets to {@code file}; emits the number of events written. */
    public static Mono<Long> writeAll(Flux<EventPacket> packets, Path file, RecordingFormat format, SensorGeometry geometry) {
        return Mono.using(() -> open(file, format, geometry),
                w -> packets.doOnNext(w::write).then(Mono.fromCallable(w::events)),
                RecordingWriter::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    public void write(EventPacket packet) {
        try {
            encode(packet, out);
            events += packet.size();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": write failed: " + e.getMessage(), e);
        }
    }

    protected abstract void encode(EventPacket packet, OutputStream out) throws IOException;

    protected void writeHeader(String text) throws IOException {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    protected static ByteBuffer buffer(int size, java.nio.ByteOrder order) {
        return ByteBuffer.allocate(size).order(order);
    }

    public long events() {
        return events;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": close failed: " + e.getMessage(), e);
        }
    }

    protected void checkInside(int x, int y) {
        if (!geometry.contains(x, y)) {
            throw new IllegalArgumentException(file + ": event (" + x + "," + y + ") outside the " + geometry + " sensor");
        }
    }
}
