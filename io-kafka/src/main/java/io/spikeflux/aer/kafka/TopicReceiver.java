package io.spikeflux.aer.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.util.Logger;
import reactor.util.Loggers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records of a topic as a {@link Flux}, over one {@link KafkaConsumer} in a consumer group.
 * <p>
 * One thread polls; it is the only thread that touches the consumer. Backpressure is real: records
 * are emitted only against downstream demand, and when demand runs out the thread pauses every
 * assigned partition (it keeps polling, so the group still sees it alive) and resumes them once
 * demand returns and what it holds is delivered. At most one poll's records are held.
 * <p>
 * Offsets are committed only as the application says ({@link #commit}): after it has processed the
 * records before them. The polling thread commits them asynchronously every commit interval, and
 * synchronously for partitions being revoked (after {@link PartitionListener#revoked} returned, so
 * the application can finish them first) and on a graceful close.
 * <p>
 * Reactor Kafka was discontinued in May 2025 and does not support the 4.x clients; this adapter is
 * the small part of it SpikeFlux needs.
 */
public final class TopicReceiver<K, V> {

    private static final Logger LOG = Loggers.getLogger(TopicReceiver.class);

    /** Told on the polling thread when the group moves partitions; may block to finish work. */
    public interface PartitionListener {
        void assigned(Collection<TopicPartition> partitions);

        /** Partitions taken away in a rebalance: finish them and {@link #commit} what was processed. */
        void revoked(Collection<TopicPartition> partitions);

        /** Partitions lost without a rebalance (this member was presumed dead): nothing can be committed. */
        default void lost(Collection<TopicPartition> partitions) {
            revoked(partitions);
        }
    }

    private final Map<String, Object> config;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final String topic;
    private final PartitionListener listener;
    private final Duration commitInterval;
    private final Map<TopicPartition, Long> toCommit = new ConcurrentHashMap<>();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean closing;
    private volatile boolean leaveGroup = true;
    private volatile KafkaConsumer<K, V> consumer;
    private volatile Thread poller;

    /**
     * @param config         consumer settings; {@code bootstrap.servers} and {@code group.id} are
     *                       required, auto-commit is turned off
     * @param commitInterval how often processed offsets are committed
     */
    public TopicReceiver(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values, String topic,
                         Duration commitInterval, PartitionListener listener) {
        if (!config.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) || !config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            throw new IllegalArgumentException("a topic receiver needs bootstrap.servers and group.id");
        }
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.config = c;
        this.keys = keys;
        this.values = values;
        this.topic = topic;
        this.commitInterval = commitInterval;
        this.listener = listener;
    }

    /** The records, for one subscriber; cancelling closes the consumer (leaving the group). */
    public Flux<ConsumerRecord<K, V>> receive() {
        return Flux.create(sink -> {
            if (poller != null) {
                sink.error(new IllegalStateException("a topic receiver has one subscriber"));
                return;
            }
            Thread t = new Thread(() -> poll(sink), "spikeflux-kafka-" + topic);
            t.setDaemon(true);
            poller = t;
            sink.onDispose(this::close);
            t.start();
        }, FluxSink.OverflowStrategy.ERROR);
    }

    /** Marks the records of a partition before {@code nextOffset} as processed. */
    public void commit(TopicPartition partition, long nextOffset) {
        toCommit.merge(partition, nextOffset, Math::max);
    }

    /** Stops polling and leaves the group, committing what was marked. */
    public void close() {
        stop(true);
    }

    /**
     * Stops polling without a goodbye, as a crashed instance would: no final commit, and the group
     * keeps the member until its session times out. For failover tests and drills.
     */
    public void abandon() {
        stop(false);
    }

    private void stop(boolean graceful) {
        leaveGroup = graceful;
        closing = true;
        KafkaConsumer<K, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = poller;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Times the polling thread paused its partitions because demand ran out. */
    public long pauses() {
        return pauses.get();
    }

    public long resumes() {
        return resumes.get();
    }

    public long commits() {
        return commits.get();
    }

    public long received() {
        return received.get();
    }

    private void poll(FluxSink<ConsumerRecord<K, V>> sink) {
        ArrayDeque<ConsumerRecord<K, V>> held = new ArrayDeque<>();
        Map<TopicPartition, Long> committed = new HashMap<>();
        boolean paused = false;
        long nextCommit = System.nanoTime() + commitInterval.toNanos();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(config, keys, values)) {
            consumer = c;
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (partitions.isEmpty()) {
                        return;
                    }
                    held.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
                    listener.revoked(partitions);
                    if (leaveGroup || !closing) {
                        commitNow(c, committed, Set.copyOf(partitions));
                    }
                    partitions.forEach(toCommit::remove);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    held.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
                    listener.lost(partitions);
                    partitions.forEach(toCommit::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        listener.assigned(partitions);
                    }
                }
            });
            while (!closing && !sink.isCancelled()) {
                long demand = sink.requestedFromDownstream();
                if (demand == 0 && !paused) {
                    c.pause(c.assignment());
                    paused = true;
                    pauses.incrementAndGet();
                } else if (paused && demand > 0 && held.isEmpty()) {
                    c.resume(c.paused());
                    paused = false;
                    resumes.incrementAndGet();
                }
                if (paused) {
                    // partitions assigned since the pause start unpaused
                    c.pause(c.assignment());
                }
                ConsumerRecords<K, V> records = c.poll(Duration.ofMillis(paused ? 20 : 100));
                for (ConsumerRecord<K, V> r : records) {
                    held.add(r);
                }
                received.addAndGet(records.count());
                while (!held.isEmpty() && sink.requestedFromDownstream() > 0) {
                    sink.next(held.poll());
                }
                if (System.nanoTime() >= nextCommit) {
                    nextCommit = System.nanoTime() + commitInterval.toNanos();
                    commitAsync(c, committed);
                }
            }
            if (leaveGroup) {
                commitNow(c, committed, null);
                c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } else {
                c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
            }
            sink.complete();
        } catch (WakeupException e) {
            sink.complete();
        } catch (RuntimeException e) {
            if (closing) {
                sink.complete();
            } else {
                sink.error(new IllegalStateException("Kafka topic " + topic + ": " + e.getMessage(), e));
            }
        } finally {
            consumer = null;
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> due(KafkaConsumer<K, V> c, Map<TopicPartition, Long> committed,
                                                      Set<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        Set<TopicPartition> owned = new HashSet<>(c.assignment());
        toCommit.forEach((tp, offset) -> {
            if ((only == null || only.contains(tp)) && owned.contains(tp)
                    && !offset.equals(committed.get(tp))) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    private void commitAsync(KafkaConsumer<K, V> c, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, OffsetAndMetadata> due = due(c, committed, null);
        if (due.isEmpty()) {
            return;
        }
        due.forEach((tp, o) -> committed.put(tp, o.offset()));
        c.commitAsync(due, (offsets, e) -> {
            if (e != null) {
                // the next interval retries with what is due then
                offsets.keySet().forEach(committed::remove);
                LOG.warn("commit of {} failed: {}", offsets.keySet(), e.toString());
            } else {
                commits.incrementAndGet();
            }
        });
    }

    private void commitNow(KafkaConsumer<K, V> c, Map<TopicPartition, Long> committed, Set<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> due = due(c, committed, only);
        if (due.isEmpty()) {
            return;
        }
        try {
            c.commitSync(due, Duration.ofSeconds(10));
            due.forEach((tp, o) -> committed.put(tp, o.offset()));
            commits.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("commit of {} failed: {}", due.keySet(), e.toString());
        }
    }
}
