package io.spikeflux.engine.live;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine thread that polls instead of sleeping: tasks, timers, wake-ups and shutdown. */
class PollingEngineThreadTest {

    private final List<PollingEngineThread> threads = new ArrayList<>();

    private PollingEngineThread start(long pollNanos) {
        PollingEngineThread t = new PollingEngineThread("test-engine", pollNanos);
        threads.add(t);
        return t;
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (PollingEngineThread t : threads) {
            t.shutdownNow();
            assertTrue(t.awaitTermination(5, TimeUnit.SECONDS), "the thread ends on shutdown");
        }
    }

    @Test
    void tasksFromManyProducersAllRunOnTheEngineThreadInTheirOrder() throws InterruptedException {
        // polling off: every task must wake a sleeping thread, so a lost wake-up hangs this test
        PollingEngineThread engine = start(0);
        int perProducer = 20_000;
        List<Integer> seenA = Collections.synchronizedList(new ArrayList<>());
        List<Integer> seenB = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> wrongThread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2 * perProducer);
        Thread[] producers = new Thread[2];
        for (int p = 0; p < 2; p++) {
            List<Integer> seen = p == 0 ? seenA : seenB;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int k = i;
                    engine.execute(() -> {
                        if (!Thread.currentThread().getName().equals("test-engine")) {
                            wrongThread.set(Thread.currentThread().getName());
                        }
                        seen.add(k);
                        done.countDown();
                    });
                    if (k % 1000 == 0) {
                        // let the engine run dry and go to sleep now and then
                        sleepQuietly(1);
                    }
                }
            });
            producers[p].start();
        }
        assertTrue(done.await(20, TimeUnit.SECONDS), "every task ran: " + done.getCount() + " left");
        assertEquals(null, wrongThread.get());
        for (List<Integer> seen : List.of(seenA, seenB)) {
            for (int i = 0; i < perProducer; i++) {
                assertEquals(i, seen.get(i), "a producer's tasks run in its order");
            }
        }
    }

    @Test
    void timersFireInTheOrderTheyAreDueAndNotBefore() throws InterruptedException {
        PollingEngineThread engine = start(1_000_000);
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        long[] firedAt = new long[3];
        CountDownLatch done = new CountDownLatch(3);
        long t0 = System.nanoTime();
        engine.schedule(() -> {
            firedAt[2] = System.nanoTime();
            fired.add("30ms");
            done.countDown();
        }, 30, TimeUnit.MILLISECONDS);
        engine.schedule(() -> {
            firedAt[0] = System.nanoTime();
            fired.add("10ms");
            done.countDown();
        }, 10, TimeUnit.MILLISECONDS);
        // a timer armed on the engine thread itself goes straight into its heap
        engine.execute(() -> engine.schedule(() -> {
            firedAt[1] = System.nanoTime();
            fired.add("20ms");
            done.countDown();
        }, 20, TimeUnit.MILLISECONDS));
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("10ms", "20ms", "30ms"), fired);
        assertTrue(firedAt[0] - t0 >= 10_000_000, "not before it is due");
        assertTrue(firedAt[2] - t0 >= 30_000_000, "not before it is due");
    }

    @Test
    void aCancelledTimerNeverRuns() throws InterruptedException {
        PollingEngineThread engine = start(0);
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> cancelled = engine.schedule(runs::incrementAndGet, 20, TimeUnit.MILLISECONDS);
        CountDownLatch later = new CountDownLatch(1);
        engine.schedule(later::countDown, 40, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel(false));
        assertTrue(later.await(5, TimeUnit.SECONDS));
        assertEquals(0, runs.get());
        assertTrue(cancelled.isCancelled());
    }

    @Test
    void aFixedRateTimerRepeatsUntilCancelled() throws InterruptedException {
        PollingEngineThread engine = start(0);
        CountDownLatch five = new CountDownLatch(5);
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> f = engine.scheduleAtFixedRate(() -> {
            runs.incrementAndGet();
            five.countDown();
        }, 0, 2, TimeUnit.MILLISECONDS);
        assertTrue(five.await(5, TimeUnit.SECONDS));
        f.cancel(false);
        int afterCancel = runs.get();
        Thread.sleep(30);
        assertTrue(runs.get() <= afterCancel + 1, "at most a run already under way after the cancel");
    }

    @Test
    void aFailingTaskDoesNotEndTheThread() throws InterruptedException {
        PollingEngineThread engine = start(0);
        CountDownLatch after = new CountDownLatch(1);
        Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
        engine.execute(() -> Thread.currentThread().setUncaughtExceptionHandler(quiet));
        engine.execute(() -> {
            throw new IllegalStateException("a sensor's bug");
        });
        engine.execute(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aTaskThatLeavesAnInterruptDoesNotMakeTheThreadSpin() throws InterruptedException {
        PollingEngineThread engine = start(0);
        AtomicReference<Thread> self = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        engine.execute(() -> {
            self.set(Thread.currentThread());
            Thread.currentThread().interrupt();
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getThreadCpuTime(self.get().getId());
        Thread.sleep(300);
        long used = mx.getThreadCpuTime(self.get().getId()) - before;
        assertTrue(used < 50_000_000, "an idle engine thread sleeps; it used " + used / 1_000_000 + " ms of CPU in 300 ms");
        CountDownLatch later = new CountDownLatch(1);
        engine.schedule(later::countDown, 5, TimeUnit.MILLISECONDS);
        assertTrue(later.await(5, TimeUnit.SECONDS), "and still wakes for its timers");
    }

    @Test
    void afterShutdownTasksAreRefusedAndTheThreadEnds() throws InterruptedException {
        PollingEngineThread engine = start(1_000_000_000L);
        engine.shutdown();
        assertTrue(engine.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(engine.isTerminated());
        assertThrows(RejectedExecutionException.class, () -> engine.execute(() -> { }));
    }

    @Test
    void asAReactorSchedulerItRunsDelaysOnItsThreadAndIsDisposedWithIt() throws InterruptedException {
        PollingEngineThread engine = new PollingEngineThread("test-engine", 1_000_000);
        Scheduler scheduler = Schedulers.fromExecutorService(engine, "test-engine");
        StepVerifier.create(Mono.delay(Duration.ofMillis(5), scheduler).map(t -> Thread.currentThread().getName()))
                .expectNext("test-engine")
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        scheduler.dispose();
        assertTrue(engine.awaitTermination(5, TimeUnit.SECONDS), "disposing the scheduler ends the thread");
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
