package io.spikeflux.live.kafka;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.kafka.PacketRecords;
import io.spikeflux.aer.kafka.TopicReceiver;
import io.spikeflux.aer.kafka.TopicSender;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveClassifier;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveEngine;
import io.spikeflux.proto.ClassificationMessage;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One engine instance of a consumer group: it classifies the sensors of the partitions the group
 * gives it, one pipeline per sensor as in UDP mode (each partition's sensors in their own
 * {@link LiveClassifier#classify} subscription), and writes the classifications to an out topic.
 * <p>
 * When the group takes a partition away, its pipelines flush their last decision and close, and
 * its finished offsets are committed before the partition moves; a partition given to this
 * instance starts with fresh pipelines (like an idle reset) at the group's committed offset.
 * Offsets are committed only for records the engine has finished (see {@link OffsetLedger}):
 * delivery is at least once, and what a restart repeats is the records after the last commit.
 */
public final class KafkaLiveSession implements LiveEngine, AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(KafkaLiveSession.class);

    private final KafkaLiveOptions options;
    private final LiveClassifier classifier;
    private final Consumer<Classification> onClassification;
    private final TopicReceiver<String, byte[]> receiver;
    private final TopicSender<String, byte[]> out;
    private final Sinks.Many<ProducerRecord<String, byte[]>> outRecords;
    private final Scheduler output = Schedulers.newSingle("spikeflux-output", true);
    private final Map<TopicPartition, PartitionRun> partitions = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Recorder transit = new Recorder(3);
    private final Histogram transitTotal = new Histogram(3);
    private final Recorder endToEnd = new Recorder(3);
    private final Histogram endToEndTotal = new Histogram(3);
    /** Per sensor: the Kafka transit of its newest record, µs (read with its decisions). */
    private final Map<String, Long> newestTransitMicros = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong decisions = new AtomicLong();
    private final AtomicLong droppedOutputs = new AtomicLong();
    private final AtomicLong assignedPartitions = new AtomicLong();
    private final AtomicLong revokedPartitions = new AtomicLong();
    private final Map<TopicPartition, Long> firstOffsets = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lastOffsets = new ConcurrentHashMap<>();
    private final Disposable sweeper;
    private final Disposable outSending;
    private final Demand demand = new Demand();
    private final Consumer<EventPacket> packetTap;
    private volatile Throwable failure;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    public KafkaLiveSession(CalibratedModel model, KafkaLiveOptions options, LiveOptions liveOptions, FleetOptions fleet,
                            Consumer<Classification> onClassification) {
        this(model, options, liveOptions, fleet, onClassification, null);
    }

    /** With a tap that sees every packet as it is received (the web view counts its frames there). */
    public KafkaLiveSession(CalibratedModel model, KafkaLiveOptions options, LiveOptions liveOptions, FleetOptions fleet,
                            Consumer<Classification> onClassification, Consumer<EventPacket> packetTap) {
        this.options = options;
        this.packetTap = packetTap;
        this.onClassification = onClassification;
        this.classifier = LiveClassifier.inRealTime(model.topology(), model.parameters(), liveOptions, fleet);
        classifier.warmUp(3000);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.fromStart() ? "earliest" : "latest");
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) options.sessionTimeout().toMillis());
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, options.sessionTimeout().toMillis() / 4));
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, options.maxPendingRecords()));
        // a fetch that found nothing comes back after 10 ms, not Kafka's 500: measured end to end
        // (KafkaThroughput, 2 cameras), p50 78 -> 44-48 ms; 2 ms polled more and was no faster
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        // a rebalance moves only the partitions that change owner: the others keep their pipelines
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        if (options.instanceId() != null) {
            c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, options.instanceId());
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "spikeflux-" + options.group() + "-" + ProcessHandle.current().pid()
                + "-" + Integer.toHexString(System.identityHashCode(this)));
        this.receiver = new TopicReceiver<>(c, new StringDeserializer(), new ByteArrayDeserializer(), options.topic(),
                options.commitInterval(), new Partitions());
        if (options.outTopic() != null) {
            this.out = new TopicSender<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer(), 256);
            this.outRecords = Sinks.many().unicast().onBackpressureBuffer(Queues.<ProducerRecord<String, byte[]>>get(65_536).get());
            this.outSending = out.send(outRecords.asFlux()).subscribe(md -> { }, e -> failure = e);
        } else {
            this.out = null;
            this.outRecords = null;
            this.outSending = null;
        }
        long period = Math.max(50, options.quiet().toMillis() / 4);
        this.sweeper = Flux.interval(Duration.ofMillis(period), output).subscribe(t -> sweep());
        receiver.receive().subscribe(demand);
    }

    /** Receives records against the engine's progress: at most maxPendingRecords unfinished. */
    private final class Demand extends BaseSubscriber<ConsumerRecord<String, byte[]>> {
        @Override
        protected void hookOnSubscribe(Subscription s) {
            s.request(options.maxPendingRecords());
        }

        @Override
        protected void hookOnNext(ConsumerRecord<String, byte[]> r) {
            accept(r);
        }

        @Override
        protected void hookOnError(Throwable e) {
            failure = e;
            LOG.error("Kafka input failed: {}", e.toString());
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        records.incrementAndGet();
        long now = System.nanoTime();
        long transitMicros = Math.max(1, (System.currentTimeMillis() - r.timestamp()) * 1000);
        transit.recordValue(transitMicros);
        if (r.key() != null) {
            newestTransitMicros.put(r.key(), transitMicros);
        }
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionRun run = partitions.get(tp);
        if (run == null) {
            // a record of a partition being revoked: not ours to finish
            demand.request(1);
            return;
        }
        firstOffsets.putIfAbsent(tp, r.offset());
        lastOffsets.put(tp, r.offset());
        EventPacket p;
        try {
            p = PacketRecords.packet(r, now);
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            LOG.warn("{}", e.getMessage());
            run.ledger.addFinished(r.offset());
            demand.request(1);
            return;
        }
        if (p.size() == 0) {
            run.ledger.addFinished(r.offset());
            demand.request(1);
            return;
        }
        events.addAndGet(p.size());
        if (packetTap != null) {
            packetTap.accept(p);
        }
        run.ledger.add(p.sensorId(), r.offset(), p.lastTimestampUs(), now);
        run.packets.emitNext(p, Sinks.EmitFailureHandler.FAIL_FAST);
    }

    /** Runs on the output thread. */
    private void decision(PartitionRun run, Classification c) {
        decisions.incrementAndGet();
        if (c.latencyMs() > 0) {
            long micros = Math.max(1, (long) (c.latencyMs() * 1000));
            latency.recordValue(micros);
            Long t = newestTransitMicros.get(c.sensorId());
            if (t != null) {
                endToEnd.recordValue(micros + t);
            }
        }
        finished(run, run.ledger.decided(c.sensorId(), c.windowEndUs()));
        if (outRecords != null) {
            ProducerRecord<String, byte[]> rec = new ProducerRecord<>(options.outTopic(), c.sensorId(), message(c).toByteArray());
            if (outRecords.tryEmitNext(rec).isFailure()) {
                droppedOutputs.incrementAndGet();
            }
        }
        onClassification.accept(c);
    }

    private void finished(PartitionRun run, int n) {
        if (n > 0) {
            demand.request(n);
        }
        long offset = run.ledger.committable();
        if (offset >= 0 && !run.closing) {
            receiver.commit(run.partition, offset);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (PartitionRun run : partitions.values()) {
            finished(run, run.ledger.sweep(now, options.quiet().toNanos(), options.maxAge().toNanos()));
        }
    }

    static ClassificationMessage message(Classification c) {
        ClassificationMessage.Builder m = ClassificationMessage.newBuilder()
                .setSensorId(c.sensorId())
                .setWindowStartUs(c.windowStartUs())
                .setWindowEndUs(c.windowEndUs())
                .setTopClass(Math.max(0, c.topClass()))
                .setAnnouncedClass(c.topClass())
                .setRawClass(c.rawClass())
                .setTopClassName(c.topName())
                .setConfidence((float) c.confidence())
                .setLatencyMs(c.latencyMs())
                .setChanged(c.changed());
        for (int k : c.counts()) {
            m.addClassSpikeCounts(k);
        }
        return m.build();
    }

    /** One partition's packets and pipelines on this instance. */
    private final class PartitionRun {
        final TopicPartition partition;
        final Sinks.Many<EventPacket> packets = Sinks.many().unicast().onBackpressureBuffer();
        final OffsetLedger ledger = new OffsetLedger();
        final CountDownLatch done = new CountDownLatch(1);
        final Disposable classification;
        volatile boolean closing;

        PartitionRun(TopicPartition partition) {
            this.partition = partition;
            this.classification = classifier.classify(packets.asFlux())
                    .publishOn(output, 4096)
                    .doFinally(s -> done.countDown())
                    .subscribe(c -> decision(this, c), e -> {
                        failure = e;
                        LOG.error("partition {} failed: {}", partition, e.toString());
                    });
        }

        /** Flushes the pipelines' last decisions and waits for them (bounded). */
        void finish() {
            packets.tryEmitComplete();
            try {
                if (!done.await(10, TimeUnit.SECONDS)) {
                    LOG.warn("partition {} did not finish in 10 s; closing it", partition);
                    classification.dispose();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                classification.dispose();
            }
        }
    }

    /** The group's moves, on the polling thread. */
    private final class Partitions implements TopicReceiver.PartitionListener {
        @Override
        public void assigned(Collection<TopicPartition> assigned) {
            for (TopicPartition tp : assigned) {
                partitions.computeIfAbsent(tp, PartitionRun::new);
                assignedPartitions.incrementAndGet();
            }
            LOG.info("partitions assigned: {}", assigned);
        }

        @Override
        public void revoked(Collection<TopicPartition> revoked) {
            for (TopicPartition tp : revoked) {
                PartitionRun run = partitions.get(tp);
                if (run == null) {
                    continue;
                }
                run.finish();
                // the last decisions were made: everything received is finished and committed now
                int n = run.ledger.finishAll();
                long offset = run.ledger.committable();
                if (offset >= 0) {
                    receiver.commit(tp, offset);
                }
                run.closing = true;
                partitions.remove(tp);
                firstOffsets.remove(tp);
                revokedPartitions.incrementAndGet();
                if (n > 0) {
                    demand.request(n);
                }
            }
            LOG.info("partitions revoked: {}", revoked);
        }

        @Override
        public void lost(Collection<TopicPartition> lost) {
            for (TopicPartition tp : lost) {
                PartitionRun run = partitions.remove(tp);
                if (run != null) {
                    run.closing = true;
                    run.finish();
                    int n = run.ledger.finishAll();
                    firstOffsets.remove(tp);
                    revokedPartitions.incrementAndGet();
                    if (n > 0) {
                        demand.request(n);
                    }
                }
            }
            LOG.warn("partitions lost (this instance was presumed dead): {}", lost);
        }
    }

    @Override
    public LiveClassifier classifier() {
        return classifier;
    }

    @Override
    public long classifications() {
        return decisions.get();
    }

    /** Decisions the out topic could not take in time (its queue was full). */
    @Override
    public long droppedDecisions() {
        return droppedOutputs.get();
    }

    @Override
    public java.util.List<io.spikeflux.aer.udp.SensorCounters> sourceCounters() {
        return java.util.List.of();
    }

    @Override
    public Map<String, java.util.function.LongSupplier> sourceTotals() {
        return Map.of("kafka.records", records::get, "kafka.malformed.records", malformed::get,
                "kafka.events", events::get, "kafka.outputs.written", this::outputsWritten,
                "kafka.outputs.failed", this::outputsFailed, "kafka.partitions.revoked", revokedPartitions::get);
    }

    @Override
    public Map<String, java.util.function.LongSupplier> sourceGauges() {
        return Map.of("kafka.partitions.owned", () -> partitions.size());
    }

    public TopicReceiver<String, byte[]> receiver() {
        return receiver;
    }

    /** Partitions this instance serves now. */
    public java.util.Set<TopicPartition> partitions() {
        return java.util.Set.copyOf(partitions.keySet());
    }

    /** The first offset this instance read of each partition it serves (where it took over). */
    public Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(firstOffsets);
    }

    /** The last offset this instance read of each partition it has served. */
    public Map<TopicPartition, Long> lastOffsets() {
        return Map.copyOf(lastOffsets);
    }

    public long records() {
        return records.get();
    }

    public long malformed() {
        return malformed.get();
    }

    public long events() {
        return events.get();
    }

    public long decisions() {
        return decisions.get();
    }

    public long droppedOutputs() {
        return droppedOutputs.get();
    }

    public long outputsWritten() {
        return out == null ? 0 : out.sent();
    }

    public long outputsFailed() {
        return out == null ? 0 : out.failed();
    }

    public long assignedPartitions() {
        return assignedPartitions.get();
    }

    public long revokedPartitions() {
        return revokedPartitions.get();
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Engine latency since start (packet received from Kafka to decision), in µs. */
    public synchronized Histogram latencyMicros() {
        latencyTotal.add(latency.getIntervalHistogram());
        return latencyTotal.copy();
    }

    /** Kafka transit (record written by the bridge or camera to received here), in µs, ms resolution. */
    public synchronized Histogram transitMicros() {
        transitTotal.add(transit.getIntervalHistogram());
        return transitTotal.copy();
    }

    /**
     * End to end, in µs: from the writing of a decision's newest record (the bridge's receipt of
     * the datagram, or the camera's send) to the decision; Kafka's part has ms resolution.
     */
    public synchronized Histogram endToEndMicros() {
        endToEndTotal.add(endToEnd.getIntervalHistogram());
        return endToEndTotal.copy();
    }

    /** Leaves the group: the partitions' pipelines flush, finished offsets are committed, the others take over at once. */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        demand.dispose();
        receiver.close();
        shutDown();
    }

    /**
     * Stops as a crashed instance would: no goodbye to the group and no final commit, so the others
     * take the partitions over only when the session times out, from the last committed offsets.
     */
    public void abandon() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        receiver.abandon();
        demand.dispose();
        partitions.values().forEach(r -> {
            r.closing = true;
            r.classification.dispose();
        });
        partitions.clear();
        shutDown();
    }

    private void shutDown() {
        sweeper.dispose();
        if (outRecords != null) {
            outRecords.tryEmitComplete();
            try {
                // let the last classifications reach the out topic
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!outSending.isDisposed() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.close();
        }
        output.dispose();
    }
}
