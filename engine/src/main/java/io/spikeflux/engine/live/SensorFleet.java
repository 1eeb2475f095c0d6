package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sensors of one {@link LiveClassifier#classify} subscription: routes each packet to its
 * sensor's lane (one pipeline per sensor id, made on first sight), each lane pinned to one of the
 * engine threads. Lanes are bounded three ways: in number (new sources beyond
 * {@link FleetOptions#maxSensors()} are refused), in time (silent lanes are evicted) and in queued
 * events (a flooding sensor drops its own packets). A lane whose pipeline fails is logged,
 * counted and replaced on the sensor's next packet; the others go on.
 * <p>
 * Routing and eviction run serialised (one signal at a time) on whatever thread delivers them;
 * the map of lanes is only touched there.
 */
final class SensorFleet {

    private static final Logger LOG = Loggers.getLogger(SensorFleet.class);

    private final LiveClassifier classifier;
    private final FleetOptions options;
    private final Scheduler clock;
    private final Scheduler[] shards;
    private final int[] lanesPerShard;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final FleetCounters counters;

    SensorFleet(LiveClassifier classifier, FleetOptions options, Scheduler clock, FleetCounters counters) {
        this.classifier = classifier;
        this.options = options;
        this.clock = clock;
        this.counters = counters;
        this.shards = new Scheduler[options.engineThreads()];
        for (int i = 0; i < shards.length; i++) {
            String name = "spikeflux-engine-" + i;
            shards[i] = options.busyPollUs() > 0
                    ? Schedulers.fromExecutorService(new PollingEngineThread(name, options.busyPollUs() * 1000), name)
                    : Schedulers.newSingle(name, true);
        }
        this.lanesPerShard = new int[shards.length];
    }

    /** Routes one packet; emits the classifications of a sensor seen for the first time. */
    void route(EventPacket p, SynchronousSink<Flux<Classification>> newLanes) {
        Lane lane = lanes.get(p.sensorId());
        if (lane != null && lane.terminated) {
            remove(lane);
            lane = null;
        }
        if (lane == null) {
            if (lanes.size() >= options.maxSensors()) {
                counters.refusedPackets.incrementAndGet();
                counters.refusedEvents.addAndGet(p.size());
                p.release();
                return;
            }
            lane = open(p.sensorId());
            newLanes.next(lane.classifications);
        }
        lane.offer(p, clock.now(TimeUnit.MILLISECONDS));
    }

    /** Closes the lanes that have been silent for the eviction time. */
    void evictIdle() {
        if (options.evictAfterMs() == 0) {
            return;
        }
        long now = clock.now(TimeUnit.MILLISECONDS);
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (lane.terminated || now - lane.lastPacketMs >= options.evictAfterMs()) {
                it.remove();
                lanesPerShard[lane.shard]--;
                counters.active.decrementAndGet();
                if (!lane.terminated) {
                    counters.evicted.incrementAndGet();
                }
                lane.close();
            }
        }
    }

    /** The packet stream ended: every lane flushes its last decision and closes. */
    void closeAll() {
        lanes.values().forEach(Lane::close);
        // several fleets (one per Kafka partition) share the counters: count by difference
        counters.active.addAndGet(-lanes.size());
        lanes.clear();
    }

    void dispose() {
        for (Scheduler s : shards) {
            s.dispose();
        }
    }

    private Lane open(String sensorId) {
        int shard = 0;
        for (int i = 1; i < shards.length; i++) {
            if (lanesPerShard[i] < lanesPerShard[shard]) {
                shard = i;
            }
        }
        lanesPerShard[shard]++;
        Lane lane = new Lane(sensorId, shard);
        lanes.put(sensorId, lane);
        counters.opened.incrementAndGet();
        counters.active.incrementAndGet();
        return lane;
    }

    private void remove(Lane lane) {
        lanes.remove(lane.sensorId);
        lanesPerShard[lane.shard]--;
        counters.active.decrementAndGet();
    }

    /**
     * One sensor's queue and pipeline. Packets reach the pipeline through a feeder on the lane's
     * engine thread that hands over at most {@link #TURN} packets per turn and then queues itself
     * behind the thread's other work: the lanes of a thread take turns, so a flooding sensor's
     * backlog delays another sensor by one turn, not by the whole backlog (the pipeline's own
     * hand-off, publishOn, drains all it has before it lets the thread go).
     */
    private final class Lane implements Runnable {
        /** Packets handed to the pipeline per turn. */
        static final int TURN = 4;

        final String sensorId;
        final int shard;
        final Sinks.Many<EventPacket> queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<EventPacket>unbounded().get());
        final java.util.Queue<EventPacket> pending = Queues.<EventPacket>unboundedMultiproducer().get();
        final java.util.concurrent.atomic.AtomicInteger wip = new java.util.concurrent.atomic.AtomicInteger();
        final reactor.core.scheduler.Scheduler.Worker feeder;
        final AtomicLong queuedEvents = new AtomicLong();
        final Flux<Classification> classifications;
        volatile boolean terminated;
        volatile boolean closing;
        long lastPacketMs;

        Lane(String sensorId, int shard) {
            this.sensorId = sensorId;
            this.shard = shard;
            this.feeder = shards[shard].createWorker();
            // queued events are counted out as the pipeline bins them
            this.classifications = classifier.classifySensor(sensorId, queue.asFlux(), shards[shard], queuedEvents)
                    .onErrorResume(e -> {
                        counters.failed.incrementAndGet();
                        LOG.warn("sensor {} failed and was evicted: {}", sensorId, e.toString());
                        return Flux.empty();
                    })
                    // the feeder (the queue's only consumer) gives back what never reached the pipeline
                    .doFinally(s -> {
                        terminated = true;
                        schedule();
                    });
        }

        void offer(EventPacket p, long nowMs) {
            lastPacketMs = nowMs;
            if (terminated || queuedEvents.get() + p.size() > options.maxQueuedEvents()) {
                counters.droppedPackets.incrementAndGet();
                counters.droppedEvents.addAndGet(p.size());
                p.release();
                return;
            }
            queuedEvents.addAndGet(p.size());
            pending.offer(p);
            schedule(); // after the offer: a feeder turn that follows sees it, even if the lane just ended
        }

        private void schedule() {
            if (wip.getAndIncrement() == 0) {
                submit();
            }
        }

        private void submit() {
            try {
                feeder.schedule(this);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the engine threads are gone (the session closed): no turn will come
                releasePending();
            }
        }

        private void releasePending() {
            for (EventPacket p; (p = pending.poll()) != null; ) {
                queuedEvents.addAndGet(-p.size());
                p.release();
            }
        }

        /** A turn of the feeder, on the lane's engine thread: the only reader of {@code pending}. */
        @Override
        public void run() {
            int missed = wip.get();
            if (terminated) {
                releasePending();
            } else {
                for (int n = 0; n < TURN; n++) {
                    EventPacket p = pending.poll();
                    if (p == null) {
                        break;
                    }
                    if (queue.tryEmitNext(p).isFailure()) {
                        queuedEvents.addAndGet(-p.size());
                        counters.droppedPackets.incrementAndGet();
                        counters.droppedEvents.addAndGet(p.size());
                        p.release();
                    }
                }
                // closing first: a packet offered before close() is then in pending already
                if (closing && pending.isEmpty()) {
                    queue.tryEmitComplete();
                }
                if (!pending.isEmpty()) {
                    wip.addAndGet(1 - missed); // still scheduled, and bounded however long the backlog
                    submit(); // the back of the thread's queue: the other lanes' turn first
                    return;
                }
            }
            if (wip.addAndGet(-missed) != 0) {
                submit();
            }
        }

        void close() {
            if (terminated) {
                return;
            }
            closing = true;
            schedule();
        }
    }
}
