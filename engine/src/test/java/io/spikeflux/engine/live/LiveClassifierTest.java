package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.NmnistFiles;
import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.EventDataset;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingTopology;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windowing, emission and idle-reset rules, all driven by sensor time. */
class LiveClassifierTest {

    private static final SpikingTopology TOPOLOGY = new SpikingTopology(TestModels.load("nmnist_cnn"));
    /** Thresholds from a SPIKE-NORM run on this model; exact values do not matter here. */
    private static final SnnParameters PARAMS = new SnnParameters(new float[]{4.4f, 2.2f, 1.0f, 0.35f, 1.8f},
            io.spikeflux.engine.snn.ResetMode.ZERO, 0f, ones(TOPOLOGY.network().nodes().size()));

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }

    private static List<EventPacket> recording(int index, long shiftUs) {
        EventDataset d = TestModels.nmnistEmu();
        List<EventPacket> out = new ArrayList<>();
        for (EventPacket p : NmnistFiles.read(d.file(index)).toIterable()) {
            out.add(p.shiftedBy(shiftUs).withIdentity("cam", p.sequence()));
        }
        return out;
    }


    @Test
    void periodicDecisionsEveryTenMillisecondsOfSensorTimeOverAHundredMillisecondWindow() {
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 0));
        List<EventPacket> rec = recording(0, 0);
        long first = rec.get(0).firstTimestampUs();
        List<Classification> out = new ArrayList<>();
        StepVerifier.create(live.classifySensor("cam", Flux.fromIterable(rec)))
                .recordWith(() -> out)
                .thenConsumeWhile(c -> true)
                .verifyComplete();
        List<Classification> periodic = out.stream().filter(c -> !c.changed()).toList();
        assertTrue(periodic.size() >= 25, "about one decision per 10 ms of a 300 ms recording: " + periodic.size());
        for (Classification c : out) {
            assertEquals(100_000, c.windowEndUs() - c.windowStartUs(), "window W = 100 ms");
            assertEquals(0, (c.windowEndUs() - first) % 1000, "windows end on step boundaries");
        }
        for (int i = 1; i < out.size(); i++) {
            assertTrue(out.get(i).windowEndUs() >= out.get(i - 1).windowEndUs(), "decisions follow sensor time");
            if (out.get(i).changed()) {
                assertTrue(out.get(i).topClass() != out.get(i - 1).topClass(), "a change decision changes the class");
            }
        }
        Classification last = out.get(out.size() - 1);
        assertTrue(last.totalSpikes() > 0 && last.topClass() >= 0);
        assertEquals("cam", last.sensorId());
    }

    @Test
    void idleGapResetsTheNetworkAndSilenceEmitsNothing() {
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 50));
        List<EventPacket> a = recording(0, 0);
        long end = a.get(a.size() - 1).lastTimestampUs();
        List<EventPacket> b = recording(1, end + 200_000);
        long bStart = b.get(0).firstTimestampUs();
        List<Classification> out = new ArrayList<>();
        StepVerifier.create(live.classifySensor("cam", Flux.concat(Flux.fromIterable(a), Flux.fromIterable(b))))
                .recordWith(() -> out)
                .thenConsumeWhile(c -> true)
                .verifyComplete();
        assertEquals(1, live.idleResets());
        assertTrue(out.stream().noneMatch(c -> c.windowEndUs() > end + 2000 && c.windowEndUs() <= bStart),
                "no decisions during 200 ms of silence");
        Classification firstAfter = out.stream().filter(c -> c.windowEndUs() > bStart).findFirst().orElseThrow();
        assertTrue(firstAfter.totalSpikes() <= 2, "the window restarted empty after the reset: " + firstAfter.totalSpikes());
    }

    @Test
    void lateEventsAreCountedAndNotFoldedIntoThePast() {
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 0));
        SensorGeometry g = new SensorGeometry(34, 34);
        EventPacket early = new EventPacket("cam", g, 1, 3, new short[]{1, 2, 3}, new short[]{1, 2, 3},
                new byte[]{1, 1, 0}, new long[]{0, 5_000, 9_000});
        EventPacket late = new EventPacket("cam", g, 2, 2, new short[]{4, 5}, new short[]{4, 5},
                new byte[]{1, 0}, new long[]{2_000, 9_500});
        StepVerifier.create(live.classifySensor("cam", Flux.just(early, late)).then())
                .verifyComplete();
        assertEquals(1, live.lateEvents(), "t=2 ms arrived after step 9 began; t=9.5 ms is on time");
        assertEquals(9, live.steps(), "steps 0..8 completed (empty ones included); step 9 is still open");
    }

    @Test
    void sensorsRunInSeparatePipelines() {
        LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 0));
        List<EventPacket> a = recording(0, 0);
        List<EventPacket> b = recording(1, 0).stream().map(p -> p.withIdentity("other", p.sequence())).toList();
        List<Classification> out = new ArrayList<>();
        StepVerifier.create(live.classify(Flux.merge(Flux.fromIterable(a), Flux.fromIterable(b))))
                .recordWith(() -> out)
                .thenConsumeWhile(c -> true)
                .verifyComplete();
        assertTrue(out.stream().anyMatch(c -> c.sensorId().equals("cam")));
        assertTrue(out.stream().anyMatch(c -> c.sensorId().equals("other")));
        assertEquals(0, live.lateEvents(), "interleaved sensors do not make each other's events late");
    }

    @Test
    void aQuietLiveSourceHasItsOpenStepClosedByWallTime() {
        SensorGeometry g = new SensorGeometry(34, 34);
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    LiveClassifier live = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 0, 500), clock);
                    long arrived = clock.now(TimeUnit.NANOSECONDS) + 1; // 0 means "not a live packet"
                    EventPacket p = new EventPacket("cam", g, 1, 2, new short[]{1, 2}, new short[]{1, 2},
                            new byte[]{1, 0}, new long[]{0, 1_500}, arrived);
                    // step 0 closes when the t=1.5 ms event arrives; step 1 ([1, 2) ms) closes when the sensor clock
                    // says it is over (0.5 ms after the packet arrived) plus the 0.5 ms margin
                    return live.classifySensor("cam", Flux.just(p).concatWith(Flux.never()))
                            .then(Mono.fromCallable(live::steps))
                            .or(Mono.delay(Duration.ofMillis(20), clock).map(x -> live.steps()));
                })
                .expectSubscription()
                .thenAwait(Duration.ofMillis(20))
                .expectNext(2L)
                .verifyComplete();
        VirtualTimeScheduler.reset();
    }

    /**
     * While packets that arrived are still queued for the pipeline, the sensor-clock timer closes
     * no step: they arrived in time and close the steps they reach themselves. Once the queue is
     * empty, the next packet arms the timer again.
     */
    @Test
    void theTimerLeavesStepsOpenWhileTheirPacketsAreQueued() {
        SensorGeometry g = new SensorGeometry(34, 34);
        java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
        reactor.core.publisher.Sinks.Many<EventPacket> in = reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
        LiveClassifier[] live = new LiveClassifier[1];
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    live[0] = new LiveClassifier(TOPOLOGY, PARAMS, new LiveOptions(1000, 100, 10, 0, 500), clock);
                    return live[0].classifySensor("cam", in.asFlux(), reactor.core.scheduler.Schedulers.immediate(), queued).then();
                })
                .then(() -> {
                    long arrived = VirtualTimeScheduler.get().now(TimeUnit.NANOSECONDS) + 1;
                    EventPacket p = new EventPacket("cam", g, 1, 2, new short[]{1, 2}, new short[]{1, 2},
                            new byte[]{1, 0}, new long[]{0, 1_500}, arrived);
                    queued.set(2 + 1_000); // this packet, and a backlog behind it
                    in.tryEmitNext(p);
                })
                .thenAwait(Duration.ofMillis(20))
                .then(() -> assertEquals(1, live[0].steps(), "step 1 stays open while packets are queued"))
                .then(() -> {
                    queued.set(1); // the backlog was binned; one more packet, of the open step
                    long arrived = VirtualTimeScheduler.get().now(TimeUnit.NANOSECONDS) + 1;
                    in.tryEmitNext(new EventPacket("cam", g, 2, 1, new short[]{3}, new short[]{3}, new byte[]{1},
                            new long[]{1_600}, arrived));
                })
                .thenAwait(Duration.ofMillis(20))
                .then(() -> assertEquals(2, live[0].steps(), "then the timer closes it"))
                .then(in::tryEmitComplete)
                .verifyComplete();
        VirtualTimeScheduler.reset();
    }
}
