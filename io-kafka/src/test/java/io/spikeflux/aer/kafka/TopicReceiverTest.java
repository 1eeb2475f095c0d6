package io.spikeflux.aer.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class TopicReceiverTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static void produce(String topic, int n) {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (TopicSender<String, String> sender = new TopicSender<>(p, new StringSerializer(), new StringSerializer(), 64)) {
            long acknowledged = sender.send(Flux.range(0, n).map(i -> new ProducerRecord<>(topic, "key-" + (i % 7), "v" + i)))
                    .count().block();
            assertEquals(n, acknowledged);
        }
    }

    private static Map<String, Object> consumer(String group) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        return c;
    }

    private static final TopicReceiver.PartitionListener NO_LISTENER = new TopicReceiver.PartitionListener() {
        @Override
        public void assigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void revoked(Collection<TopicPartition> partitions) {
        }
    };

    @Test
    void withoutDemandThePartitionsArePausedAndNothingPilesUp() throws Exception {
        broker.createTopic("backpressure", 2);
        produce("backpressure", 5_000);
        TopicReceiver<String, String> receiver = new TopicReceiver<>(consumer("bp"), new StringDeserializer(),
                new StringDeserializer(), "backpressure", Duration.ofMillis(200), NO_LISTENER);
        AtomicInteger got = new AtomicInteger();
        BaseSubscriber<ConsumerRecord<String, String>> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(10);
            }

            @Override
            protected void hookOnNext(ConsumerRecord<String, String> r) {
                got.incrementAndGet();
            }
        };
        receiver.receive().subscribe(slow);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (receiver.pauses() == 0 || got.get() < 10) {
            assertTrue(System.nanoTime() < deadline, "the receiver never paused");
            Thread.sleep(20);
        }
        Thread.sleep(1500);
        assertEquals(10, got.get(), "exactly the demand was delivered");
        // what was fetched and held is at most one poll beyond the demand, not the topic
        assertTrue(receiver.received() <= 10 + 50, "fetched " + receiver.received());
        slow.request(Long.MAX_VALUE);
        while (got.get() < 5_000) {
            assertTrue(System.nanoTime() < deadline, "only " + got.get() + " of 5000 after resuming");
            Thread.sleep(20);
        }
        assertTrue(receiver.resumes() >= 1);
        slow.dispose();
        receiver.close();
        assertEquals(5_000, got.get());
    }

    @Test
    void onlyWhatTheApplicationProcessedIsCommitted() throws Exception {
        broker.createTopic("commits", 2);
        produce("commits", 400);
        Map<TopicPartition, Long> last = new ConcurrentHashMap<>();
        TopicReceiver<String, String> receiver = new TopicReceiver<>(consumer("commits"), new StringDeserializer(),
                new StringDeserializer(), "commits", Duration.ofMillis(100), NO_LISTENER);
        AtomicInteger got = new AtomicInteger();
        receiver.receive().subscribe(r -> {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            // "processed": every record of partition 0, and partition 1 only up to offset 20
            if (r.partition() == 0 || r.offset() < 20) {
                receiver.commit(tp, r.offset() + 1);
                last.merge(tp, r.offset() + 1, Math::max);
            }
            got.incrementAndGet();
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (got.get() < 400) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(20);
        }
        receiver.close();
        var committed = broker.committed("commits");
        assertEquals(last.get(new TopicPartition("commits", 0)), committed.get(new TopicPartition("commits", 0)).offset());
        assertEquals(20L, committed.get(new TopicPartition("commits", 1)).offset());
    }
}
