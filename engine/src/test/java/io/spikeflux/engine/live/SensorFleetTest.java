package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;
import io.spikeflux.aer.event.PacketArrays;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.NmnistFiles;
import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many sensors on one engine: sharding, the bound on their number, eviction and flood isolation. */
class SensorFleetTest {

    private static final SpikingTopology TOPOLOGY = new SpikingTopology(TestModels.load("nmnist_cnn"));
    private static final SnnParameters PARAMS = new SnnParameters(new float[]{4.4f, 2.2f, 1.0f, 0.35f, 1.8f},
            ResetMode.ZERO, 0f, ones(TOPOLOGY.network().nodes().size()));
    private static final SensorGeometry G = new SensorGeometry(34, 34);
    private static final LiveOptions DECISIONS = new LiveOptions(1000, 100, 10, 0);
    private static final FleetOptions TWO_ENGINE_THREADS = new FleetOptions(2, 16, 0, 200_000);

    private static float[] ones(int n) {
        float[] f = new float[n];
        Arrays.fill(f, 1f);
        return f;
    }

    private static EventPacket burst(String sensor, int events, long startUs) {
        short[] x = new short[events];
        short[] y = new short[events];
        byte[] p = new byte[events];
        long[] t = new long[events];
        for (int i = 0; i < events; i++) {
            x[i] = (short) (i * 7 % 34);
            y[i] = (short) (i * 13 % 34);
            p[i] = (byte) (i & 1);
            t[i] = startUs + (long) i * 5000 / events;
        }
        return new EventPacket(sensor, G, 1, events, x, y, p, t);
    }

    private static List<EventPacket> recording(String sensor) {
        List<EventPacket> out = new ArrayList<>();
        for (EventPacket p : NmnistFiles.read(TestModels.nmnistEmu().file(3)).toIterable()) {
            out.add(p.withIdentity(sensor, p.sequence()));
        }
        return out;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out");
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        assertTrue(done.await(60, TimeUnit.SECONDS), "the live flux completed");
    }

    @Test
    void twoThousandChurnedSourcesAreEvictedAndTheirPipelinesFreed() throws InterruptedException {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 256, 1000, 100_000), clock);
        Sinks.Many<EventPacket> in = Sinks.many().unicast().onBackpressureBuffer();
        CountDownLatch done = new CountDownLatch(1);
        Disposable sub = live.classify(in.asFlux()).doFinally(s -> done.countDown()).subscribe();
        long heapBefore = usedHeapAfterGc();
        int maxActive = 0;
        for (int batch = 0; batch < 20; batch++) {
            for (int s = 0; s < 100; s++) {
                // a camera restarting on a new port is a new source id, like these
                in.tryEmitNext(burst("10.0.0.1:" + (40_000 + batch * 100 + s), 200, 0));
            }
            // routing may run on an engine thread that is draining the merged signals just then
            long routed = 100L * (batch + 1);
            waitFor(() -> live.fleetCounters().opened() + live.fleetCounters().refusedPackets() >= routed);
            maxActive = Math.max(maxActive, (int) live.fleetCounters().active());
            clock.advanceTimeBy(Duration.ofMillis(1000));
        }
        FleetCounters f = live.fleetCounters();
        assertEquals(2000, f.opened());
        assertEquals(0, f.refusedPackets(), "never more than two batches open at once");
        assertTrue(maxActive <= 200, "active sensors stay bounded: " + maxActive);
        assertTrue(f.evicted() >= 1800, "silent sources were evicted: " + f.evicted());
        in.tryEmitComplete();
        await(done);
        sub.dispose();
        assertEquals(0, f.active());
        assertEquals(0, live.openPipelines(), "every pipeline's state was released");
        // the landed engine kept ~1 MB per source for good (2 GB here); a pipeline's ~1 MB now goes
        // back when it is evicted. The bound leaves room for what the JVM's other threads (earlier
        // tests' among them) hold at the moment of measuring: tens of MB at most, seen in CI.
        long growth = usedHeapAfterGc() - heapBefore;
        assertTrue(growth < 256L << 20, "memory is flat after 2,000 sources: the heap grew by " + (growth >> 20) + " MB");
    }

    /** The least heap in use over three collections: one collection may leave floating garbage. */
    private static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            System.gc();
            least = Math.min(least, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * Eviction by the engine's clock, in virtual time: a sensor silent for the eviction time is
     * closed and counted, and when it speaks again it gets a fresh pipeline; one that keeps
     * speaking is not evicted.
     */
    @Test
    void aSilentSensorIsEvictedOnTheClockAndComesBackFresh() {
        Sinks.Many<EventPacket> in = Sinks.many().unicast().onBackpressureBuffer();
        LiveClassifier[] live = new LiveClassifier[1];
        reactor.test.StepVerifier.withVirtualTime(() -> {
                    live[0] = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(1, 16, 1000, 100_000),
                            VirtualTimeScheduler.get());
                    return live[0].classify(in.asFlux()).then();
                })
                .then(() -> {
                    in.tryEmitNext(burst("a", 500, 0));
                    in.tryEmitNext(burst("b", 500, 0));
                })
                .thenAwait(Duration.ofMillis(600))
                .then(() -> in.tryEmitNext(burst("b", 500, 5000)))
                .thenAwait(Duration.ofMillis(600))
                .then(() -> {
                    // "a" has been silent for 1.2 s, "b" for 0.6 s
                    assertEquals(1, live[0].fleetCounters().evicted(), "a was evicted, b was not");
                    assertEquals(1, live[0].fleetCounters().active());
                })
                .then(() -> in.tryEmitNext(burst("a", 500, 0))) // a camera restarting: its clock starts over
                .then(() -> assertEquals(3, live[0].fleetCounters().opened(), "a fresh pipeline for a"))
                .then(in::tryEmitComplete)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        VirtualTimeScheduler.reset();
    }

    @Test
    void newSourcesBeyondTheLimitAreRefusedAndCounted() throws InterruptedException {
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 4, 0, 100_000),
                VirtualTimeScheduler.create());
        List<EventPacket> packets = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            packets.add(burst("cam-" + s, 100, 0));
        }
        packets.add(burst("cam-0", 100, 6000));
        CountDownLatch done = new CountDownLatch(1);
        List<Classification> out = Collections.synchronizedList(new ArrayList<>());
        live.classify(Flux.fromIterable(packets)).doFinally(s -> done.countDown()).subscribe(out::add);
        await(done);
        assertEquals(4, live.fleetCounters().opened());
        assertEquals(6, live.fleetCounters().refusedPackets());
        assertEquals(600, live.fleetCounters().refusedEvents());
        assertTrue(out.stream().allMatch(c -> List.of("cam-0", "cam-1", "cam-2", "cam-3").contains(c.sensorId())));
    }

    @Test
    void aFailingSensorIsEvictedAndCountedWhileTheOthersGoOn() throws InterruptedException {
        List<EventPacket> calm = recording("calm");
        List<String> alone = run(calm, List.of()).stream().map(SensorFleetTest::describe).toList();
        // "bad" changes its geometry mid-stream: its pipeline fails; its next packet gets a fresh one
        List<EventPacket> bad = List.of(burst("bad", 100, 0),
                new EventPacket("bad", new SensorGeometry(128, 128), 2, 1, new short[]{1}, new short[]{1},
                        new byte[]{1}, new long[]{6000}));
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 16, 0, 200_000),
                VirtualTimeScheduler.create());
        List<Classification> out = run(live, calm, bad);
        assertEquals(1, live.fleetCounters().failed());
        assertEquals(alone, out.stream().filter(c -> c.sensorId().equals("calm")).map(SensorFleetTest::describe).toList(),
                "the other sensor's decisions are all there");
    }

    /** A failed sensor's lane is closed again at eviction or at the end of the stream: neither may fail the others. */
    @Test
    void aFailedLaneClosedAgainLeavesTheStreamIntact() throws InterruptedException {
        for (boolean evict : new boolean[]{false, true}) {
            VirtualTimeScheduler clock = VirtualTimeScheduler.create();
            LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS,
                    new FleetOptions(2, 16, evict ? 1000 : 0, 200_000), clock);
            Sinks.Many<EventPacket> in = Sinks.many().unicast().onBackpressureBuffer();
            CountDownLatch done = new CountDownLatch(1);
            Throwable[] error = new Throwable[1];
            live.classify(in.asFlux()).doFinally(s -> done.countDown()).subscribe(c -> { }, e -> error[0] = e);
            in.tryEmitNext(burst("bad", 100, 0));
            in.tryEmitNext(new EventPacket("bad", new SensorGeometry(128, 128), 2, 1, new short[]{1}, new short[]{1},
                    new byte[]{1}, new long[]{6000}));
            waitFor(() -> live.fleetCounters().failed() == 1);
            in.tryEmitNext(burst("calm", 100, 0));
            if (evict) {
                clock.advanceTimeBy(Duration.ofMillis(2000)); // the failed lane is closed with the silent ones
                in.tryEmitNext(burst("calm", 100, 10_000));
            }
            in.tryEmitComplete(); // every lane still listed is closed
            await(done);
            assertEquals(null, error[0], "the stream ended normally (evicting: " + evict + ")");
            assertEquals(0, live.fleetCounters().active());
        }
    }

    @Test
    void aFloodingSensorLosesOnlyItsOwnPackets() throws InterruptedException {
        List<EventPacket> calm = recording("calm");
        List<String> alone = run(calm, List.of()).stream().map(SensorFleetTest::describe).toList();

        List<EventPacket> flood = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            flood.add(burst("flood", 20_000, k * 5000L));
        }
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 16, 0, 200_000),
                VirtualTimeScheduler.create());
        List<Classification> out = run(live, calm, flood);
        assertTrue(live.fleetCounters().droppedPackets() > 0, "the flood overflowed its own queue");
        assertEquals(alone, out.stream().filter(c -> c.sensorId().equals("calm")).map(SensorFleetTest::describe).toList(),
                "the calm sensor got every decision it gets alone");
    }

    /**
     * On one engine thread, a sensor whose backlog holds 200 decisions' worth of packets does not
     * make another wait for it: the lanes take turns of a few packets each, so the calm sensor's
     * first decision comes after a few of the flood's, not after its backlog.
     */
    @Test
    void aFloodingSensorsBacklogDoesNotDelayAnotherSensorOnItsThread() throws InterruptedException {
        List<EventPacket> flood = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            flood.add(burst("flood", 5_000, k * 5000L)); // 5 ms each: a decision every two packets
        }
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(1, 16, 0, 10_000_000, 0),
                VirtualTimeScheduler.create());
        List<Classification> out = run(live, recording("calm"), flood);
        assertEquals(0, live.fleetCounters().droppedPackets(), "nothing dropped: the flood is all in its queue");
        int firstCalm = -1;
        for (int i = 0; i < out.size() && firstCalm < 0; i++) {
            firstCalm = out.get(i).sensorId().equals("calm") ? i : -1;
        }
        long floodDecisions = out.stream().filter(c -> c.sensorId().equals("flood")).count();
        assertTrue(floodDecisions >= 190, "the flood's backlog: " + floodDecisions + " decisions");
        // the engine starts on the flood while the calm sensor's packets are still being routed, so
        // a few of its decisions come first; without turns all 200 did
        assertTrue(firstCalm >= 0 && firstCalm < floodDecisions / 4, "the calm sensor's first decision came after "
                + firstCalm + " of the flood's " + floodDecisions);
    }

    @Test
    void packetsThatWaitedLongerThanTheMaximumLagAreShedAndCounted() throws InterruptedException {
        long now = 50_000_000_000L;
        java.util.concurrent.atomic.AtomicLong clockNanos = new java.util.concurrent.atomic.AtomicLong(now);
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 16, 0, 1_000_000, 200),
                VirtualTimeScheduler.create(), clockNanos::get);
        List<EventPacket> calm = recording("calm");
        List<EventPacket> stamped = new ArrayList<>();
        int stale = calm.size() / 2;
        for (int i = 0; i < calm.size(); i++) {
            // the first half arrived a second ago (a backlog), the rest just now
            stamped.add(calm.get(i).arrivedAt(i < stale ? now - 1_000_000_000L : now));
        }
        CountDownLatch done = new CountDownLatch(1);
        List<Classification> out = Collections.synchronizedList(new ArrayList<>());
        live.classify(Flux.fromIterable(stamped)).doFinally(s -> done.countDown()).subscribe(out::add);
        await(done);
        assertEquals(stale, live.fleetCounters().shedPackets(), "every packet older than 200 ms was shed");
        assertEquals(stamped.subList(0, stale).stream().mapToLong(EventPacket::size).sum(), live.fleetCounters().shedEvents());
        long firstFreshUs = stamped.get(stale).firstTimestampUs();
        assertTrue(!out.isEmpty() && out.stream().allMatch(c -> c.windowEndUs() > firstFreshUs),
                "the fresh packets were classified, and nothing before them");
    }

    /** {@code --pipeline 2}: each sensor's network on two threads of its own, the same decisions. */
    @Test
    void aSensorsNetworkSplitOverThreadsOfItsOwnDecidesTheSame() throws InterruptedException {
        List<String> one = decisionsBySensor(classifier(TWO_ENGINE_THREADS));
        LiveClassifier pipelined = classifier(TWO_ENGINE_THREADS.withStageGroups(2));
        assertEquals(2, pipelined.stagePlan().groups());
        List<String> split = decisionsBySensor(pipelined);
        assertTrue(one.size() > 20, "decisions: " + one.size());
        assertEquals(one, split);
    }

    /** {@code --busy-poll-us}: engine threads that poll instead of sleeping decide the same, and free their threads. */
    @Test
    void pollingEngineThreadsDecideTheSame() throws InterruptedException {
        List<String> sleeping = decisionsBySensor(classifier(TWO_ENGINE_THREADS));
        List<String> polling = decisionsBySensor(classifier(TWO_ENGINE_THREADS.withBusyPollUs(2_000)));
        assertTrue(sleeping.size() > 20, "decisions: " + sleeping.size());
        assertEquals(sleeping, polling);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engineThreadsAlive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, engineThreadsAlive(), "the stream's end disposes its engine threads");
    }

    /** A classifier on the given fleet, its timers on virtual time. */
    private static LiveClassifier classifier(FleetOptions fleet) {
        return new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, fleet, VirtualTimeScheduler.create());
    }

    /**
     * Every decision on the "calm" and "other" recordings as "sensor@decision", in an order
     * independent of the threads'.
     */
    private static List<String> decisionsBySensor(LiveClassifier live) throws InterruptedException {
        return run(live, recording("calm"), recording("other")).stream().map(c -> c.sensorId() + "@" + describe(c))
                .sorted().toList();
    }

    /** Polling engine threads, named without the suffix Reactor gives its own single-thread schedulers. */
    private static long engineThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("spikeflux-engine-\\d+") && t.isAlive()).count();
    }

    /**
     * Packets over recycled arrays (as a live session's receiver makes them): decisions as with
     * packets of their own arrays, and every array comes back, from binned, refused and dropped
     * packets alike. Arrays read after their release are poisoned under the tests' assertions.
     */
    @Test
    void recycledPacketsGiveTheSameDecisionsAndEveryArrayComesBack() throws InterruptedException {
        List<EventPacket> calm = recording("calm");
        List<String> own = run(calm, List.of()).stream().map(SensorFleetTest::describe).toList();
        PacketArrayPool pool = new PacketArrayPool(8192, 100_000);
        List<EventPacket> all = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            all.add(pooled(pool, burst("flood", 5000, k * 5000L)));
        }
        for (EventPacket p : calm) {
            all.add(pooled(pool, p));
        }
        for (int k = 0; k < 5; k++) {
            all.add(pooled(pool, burst("extra-" + k, 100, 0)));
        }
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 2, 0, 20_000),
                VirtualTimeScheduler.create());
        CountDownLatch done = new CountDownLatch(1);
        List<Classification> out = Collections.synchronizedList(new ArrayList<>());
        live.classify(Flux.fromIterable(all)).doFinally(s -> done.countDown()).subscribe(out::add);
        await(done);
        assertEquals(own, out.stream().filter(c -> c.sensorId().equals("calm")).map(SensorFleetTest::describe).toList());
        assertEquals(5, live.fleetCounters().refusedPackets());
        assertTrue(live.fleetCounters().droppedPackets() > 0, "the flood overflowed its queue");
        assertEquals(all.size(), pool.made());
        assertEquals(pool.made(), pool.free(), "every packet's arrays came back");
    }

    private static EventPacket pooled(PacketArrayPool pool, EventPacket p) {
        PacketArrays a = pool.take(p.size());
        for (int i = 0; i < p.size(); i++) {
            a.x[i] = (short) p.x(i);
            a.y[i] = (short) p.y(i);
            a.polarity[i] = (byte) p.polarity(i);
            a.timestampUs[i] = p.timestampUs(i);
        }
        return new EventPacket(p.sensorId(), p.geometry(), p.sequence(), p.size(), a, 0L);
    }

    private static String describe(Classification c) {
        return c.windowEndUs() + ":" + c.topClass() + ":" + Arrays.toString(c.counts());
    }

    private static List<Classification> run(List<EventPacket> calm, List<EventPacket> other) throws InterruptedException {
        return run(new LiveClassifier(TOPOLOGY, PARAMS, DECISIONS, new FleetOptions(2, 16, 0, 200_000),
                VirtualTimeScheduler.create()), calm, other);
    }

    private static List<Classification> run(LiveClassifier live, List<EventPacket> calm, List<EventPacket> other)
            throws InterruptedException {
        List<EventPacket> all = new ArrayList<>();
        // the flood's packets come first and all at once, as from a source far faster than the engine
        all.addAll(other);
        all.addAll(calm);
        CountDownLatch done = new CountDownLatch(1);
        List<Classification> out = Collections.synchronizedList(new ArrayList<>());
        live.classify(Flux.fromIterable(all)).doFinally(s -> done.countDown()).subscribe(out::add);
        await(done);
        return out;
    }
}
