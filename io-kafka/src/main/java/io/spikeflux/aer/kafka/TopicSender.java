package io.spikeflux.aer.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a {@link Flux} of records with one {@link KafkaProducer}, keeping at most
 * {@code maxInFlight} sends unacknowledged: a slow broker slows the upstream down through
 * demand instead of filling the producer's buffer. A record the producer gives up on (after its
 * own retries) is counted and logged, and the stream goes on.
 */
public final class TopicSender<K, V> implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(TopicSender.class);

    private final KafkaProducer<K, V> producer;
    private final int maxInFlight;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String lastError;

    public TopicSender(Map<String, Object> config, Serializer<K> keys, Serializer<V> values, int maxInFlight) {
        if (!config.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("a topic sender needs bootstrap.servers");
        }
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        c.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(c, keys, values);
        this.maxInFlight = maxInFlight;
    }

    /** Sends the records; emits the metadata of each acknowledged one, in acknowledgement order. */
    public Flux<RecordMetadata> send(Flux<ProducerRecord<K, V>> records) {
        return records.flatMap(r -> Mono.<RecordMetadata>create(sink -> producer.send(r, (md, e) -> {
            if (e == null) {
                sent.incrementAndGet();
                bytes.addAndGet(Math.max(0, md.serializedValueSize()));
                sink.success(md);
            } else {
                lastError = e.toString(); // before the count: whoever sees the count sees its error
                failed.incrementAndGet();
                LOG.warn("record for {} not written: {}", r.topic(), e.toString());
                sink.success();
            }
        })), maxInFlight);
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
