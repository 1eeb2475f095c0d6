package io.spikeflux.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs independent per-sample work on K threads, each with its own worker state (networks are
 * stateful and not shared), and folds the workers' results in worker order so that totals do
 * not depend on scheduling.
 */
public final class SampleWorkers {

    public interface Worker<R> {
        void process(int sampleIndex);

        R result();
    }

    private SampleWorkers() {
    }

    public static <R> List<R> run(int samples, int threads, Supplier<? extends Worker<R>> workers, ProgressListener progress) {
        int k = Math.max(1, Math.min(threads, samples));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "spikeflux-sample-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (int w = 0; w < k; w++) {
                futures.add(pool.submit(() -> {
                    Worker<R> worker = workers.get();
                    for (int i = next.getAndIncrement(); i < samples; i = next.getAndIncrement()) {
                        worker.process(i);
                        progress.progress(done.incrementAndGet(), samples);
                    }
                    return worker.result();
                }));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
