package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Streams a recording body through an {@link EventDecoder} in chunks, so memory stays bounded
 * whatever the file size. Pull-based ({@link Flux#generate}): a slow subscriber slows the reading.
 * The reads block, so they run on {@link Schedulers#boundedElastic()}, never on the subscriber's
 * (possibly non-blocking) thread; packets are handed over in small batches.
 */
final class ChunkedRecordingReader {

    private static final int CHUNK = 1 << 20;
    /**
     * The largest record (an AEDAT 3.1 or 4 packet as stored) read into memory: a header may
     * declare up to 2 GiB within a large file, and the heap must not follow it. Real packets are
     * kB to a few MB.
     */
    static final int MAX_RECORD_BYTES = 32 << 20;

    private ChunkedRecordingReader() {
    }

    static Flux<EventPacket> stream(Path file, long bodyOffset, ByteOrder order, Supplier<EventDecoder> decoders,
                                    Supplier<EventPacketBuilder> builders) {
        return Flux.<EventPacket, Cursor>generate(() -> new Cursor(file, bodyOffset, order, decoders.get(), builders.get()),
                (cursor, sink) -> {
                    try {
                        EventPacket p = cursor.next();
                        if (p == null) {
                            sink.complete();
                        } else {
                            sink.next(p);
                        }
                    } catch (BadRecordException e) {
                        sink.error(new RecordingFormatException(file, e.offset, e.getMessage(), e.getCause()));
                    } catch (IOException e) {
                        sink.error(new RecordingFormatException(file, cursor.position(), "read failed: " + e, e));
                    } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
                        // a decoder that met bytes it did not expect: still a named error at an offset
                        sink.error(new RecordingFormatException(file, cursor.position(), "corrupt record: "
                                + RecordingFormatException.printable(String.valueOf(e.getMessage())), e));
                    }
                    return cursor;
                }, Cursor::close)
                .subscribeOn(Schedulers.boundedElastic(), false);
    }

    private static final class Cursor {
        private final Path file;
        private final EventDecoder decoder;
        private final EventPacketBuilder builder;
        private FileChannel channel;
        private ByteBuffer buffer;
        /** File offset of buffer index 0. */
        private long bufferStart;
        private boolean eof;
        private boolean done;

        Cursor(Path file, long bodyOffset, ByteOrder order, EventDecoder decoder, EventPacketBuilder builder) {
            this.file = file;
            this.decoder = decoder;
            this.builder = builder;
            this.buffer = ByteBuffer.allocate(CHUNK).order(order);
            this.buffer.limit(0);
            this.bufferStart = bodyOffset;
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
                this.channel.position(bodyOffset);
            } catch (IOException e) {
                throw new RecordingFormatException(file, 0, "cannot open: " + e.getMessage(), e);
            }
        }

        long position() {
            return bufferStart + buffer.position();
        }

        EventPacket next() throws IOException {
            if (done) {
                return null;
            }
            while (true) {
                int need = decoder.decode(buffer, position(), builder);
                if (need == EventDecoder.OUTPUT_FULL || builder.isFull()) {
                    if (builder.isEmpty()) {
                        throw new IllegalStateException("decoder reported a full packet with no events");
                    }
                    return builder.build();
                }
                if (eof) {
                    done = true;
                    if (buffer.hasRemaining()) {
                        throw new BadRecordException(position(), "truncated: the file ends inside a record ("
                                + buffer.remaining() + " trailing bytes" + (need > 0 ? ", the record needs " + need : "") + ")");
                    }
                    return builder.isEmpty() ? null : builder.build();
                }
                refill(need);
            }
        }

        private void refill(int need) throws IOException {
            bufferStart += buffer.position();
            buffer.compact();
            if (need > buffer.capacity()) {
                // a record declaring more than the file still holds is truncated or corrupt: say so
                // instead of allocating what a hostile header asks for
                long left = channel.size() - bufferStart;
                if (need > left) {
                    done = true;
                    throw new BadRecordException(bufferStart, "truncated: a record of " + Integer.toUnsignedString(need)
                            + " bytes starts here but the file has only " + left + " bytes left");
                }
                if (need > MAX_RECORD_BYTES) {
                    done = true;
                    throw new BadRecordException(bufferStart, "a record of " + need + " bytes starts here, more than the limit of "
                            + MAX_RECORD_BYTES + " bytes (a corrupt size field?)");
                }
                // never beyond the limit, so that every larger record comes through the test above
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(MAX_RECORD_BYTES,
                        Math.max(need, buffer.capacity() * 2L))).order(buffer.order());
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            int read = channel.read(buffer);
            if (read < 0) {
                eof = true;
            }
            buffer.flip();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel cannot lose data
            }
        }
    }
}
