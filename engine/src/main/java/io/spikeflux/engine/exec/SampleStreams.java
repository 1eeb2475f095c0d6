package io.spikeflux.engine.exec;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.snn.PipelinePlan;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.StepOutcome;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Offline runs of many samples through a spiking network: K subscriptions to the network's
 * operators (one per worker thread, each with its own state), each taking the next sample as it
 * finishes one, so the work balances itself. Every sample starts with a reset step and draws from
 * its own seed, and totals are folded per worker and summed, so results do not depend on K, on
 * which worker ran which sample, or on the pipeline plan.
 */
public final class SampleStreams {

    /** Folds the outcome of one step of sample {@code sample} into a worker's accumulator. */
    @FunctionalInterface
    public interface Fold<A> {
        void accept(A accumulator, int sample, StepOutcome outcome);
    }

    private SampleStreams() {
    }

    /**
     * @param stepsOf the steps of sample i; its first step must reset the network ({@link SpikeStep#reset()})
     * @return one accumulator per worker, in worker order
     */
    public static <A> List<A> run(SpikingNetwork network, PipelinePlan plan, int samples, int workers,
                                  IntFunction<Flux<SpikeStep>> stepsOf, Supplier<A> accumulators, Fold<A> fold,
                                  ProgressListener progress) {
        int k = Math.max(1, Math.min(workers, samples));
        List<A> results = new ArrayList<>();
        for (int w = 0; w < k; w++) {
            results.add(accumulators.get());
        }
        if (samples == 0) {
            return results;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Scheduler pool = Schedulers.newParallel("spikeflux-sample-worker", k, true);
        try {
            Flux.range(0, k).flatMap(w -> worker(network, plan, samples, next, stepsOf)
                            .doOnNext(tagged -> {
                                if (tagged.finished >= 0) {
                                    progress.progress(done.incrementAndGet(), samples);
                                }
                                if (tagged.outcome != null) {
                                    fold.accept(results.get(w), tagged.sample, tagged.outcome);
                                }
                            })
                            .subscribeOn(pool), k, 1)
                    .blockLast();
        } finally {
            pool.dispose();
        }
        return results;
    }

    private static Flux<Tagged> worker(SpikingNetwork network, PipelinePlan plan, int samples, AtomicInteger next,
                                       IntFunction<Flux<SpikeStep>> stepsOf) {
        return Flux.defer(() -> {
            // samples taken by this worker, in order: the outcomes come back in the same order
            Queue<Integer> taken = new ConcurrentLinkedQueue<>();
            int[] current = {-1};
            Flux<SpikeStep> steps = Flux.<Integer>generate(sink -> {
                int i = next.getAndIncrement();
                if (i < samples) {
                    taken.add(i);
                    sink.next(i);
                } else {
                    sink.complete();
                }
            }).concatMap(stepsOf::apply, 1);
            return network.process(steps, plan)
                    .map(o -> {
                        int finished = -1;
                        if (o.reset()) {
                            finished = current[0];
                            current[0] = taken.remove();
                        }
                        return new Tagged(current[0], o, finished);
                    })
                    .concatWith(Flux.defer(() -> Flux.just(new Tagged(-1, null, current[0]))));
        });
    }

    /** An outcome with the sample it belongs to; {@code finished >= 0} when it closed that sample. */
    private record Tagged(int sample, StepOutcome outcome, int finished) {
    }
}
