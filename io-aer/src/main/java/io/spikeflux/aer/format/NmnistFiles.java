package io.spikeflux.aer.format;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;

import java.nio.ByteOrder;
import java.nio.file.Path;

/** Reads N-MNIST binary sample files (34x34 ATIS by default). */
public final class NmnistFiles {

    public static final SensorGeometry NMNIST_GEOMETRY = new SensorGeometry(34, 34);

    private NmnistFiles() {
    }

    public static Flux<EventPacket> read(Path file, SensorGeometry geometry, int packetCapacity) {
        String id = file.getFileName().toString();
        return ChunkedRecordingReader.stream(file, 0, ByteOrder.BIG_ENDIAN, NmnistDecoder::new,
                () -> new EventPacketBuilder(id, geometry, packetCapacity));
    }

    public static Flux<EventPacket> read(Path file) {
        return read(file, NMNIST_GEOMETRY, EventPacketBuilder.DEFAULT_CAPACITY);
    }
}
