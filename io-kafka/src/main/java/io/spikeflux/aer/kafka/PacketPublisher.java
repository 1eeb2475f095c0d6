package io.spikeflux.aer.kafka;

import io.spikeflux.aer.event.EventPacket;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes sensors' packets to a topic as {@link PacketRecords}: what a bridge receives from cameras,
 * or what a camera replays straight into Kafka. Each sensor's packets get consecutive sequence
 * numbers from 1 (per {@link #publish} call), so a reader can tell loss from silence.
 */
public final class PacketPublisher implements AutoCloseable {

    private final String topic;
    private final TopicSender<String, byte[]> sender;
    private final AtomicLong events = new AtomicLong();

    public PacketPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        // batches of up to 256 kB: with the default 16 kB (six datagram-sized records) a camera fleet's
        // records wait for acknowledgements in line, and a bridge builds a standing backlog
        this.sender = new TopicSender<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "spikeflux-publisher-" + topic,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(),
                new ByteArraySerializer(), 4096);
    }

    /** Publishes the packets as one sensor's stream; emits the records acknowledged. */
    public Mono<Long> publish(Flux<EventPacket> packets, String sensorId) {
        return Flux.defer(() -> {
            long[] sequence = {0};
            return sender.send(packets.filter(p -> p.size() > 0).map(p -> {
                events.addAndGet(p.size());
                return PacketRecords.record(topic, p.withIdentity(sensorId, ++sequence[0]));
            }));
        }).count();
    }

    /**
     * Publishes packets that already name their sensor and sequence (a bridge's: the receiver numbers
     * SPIF datagrams per source before its queue, so the numbers show the queue's drops too).
     */
    public Flux<?> publishAsReceived(Flux<EventPacket> packets) {
        return sender.send(packets.filter(p -> p.size() > 0).map(p -> {
            events.addAndGet(p.size());
            return PacketRecords.record(topic, p);
        }));
    }

    public long records() {
        return sender.sent();
    }

    public long failed() {
        return sender.failed();
    }

    public long events() {
        return events.get();
    }

    public long bytes() {
        return sender.bytes();
    }

    public String lastError() {
        return sender.lastError();
    }

    @Override
    public void close() {
        sender.close();
    }
}
