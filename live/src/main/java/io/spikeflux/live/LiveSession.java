package io.spikeflux.live;

import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventReceiver;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveClassifier;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.function.Consumer;

/**
 * A receiver feeding the live classifier. Classification runs on its own thread, not on the
 * network event loop, so a slow model turns into counted queue drops instead of kernel loss.
 */
public final class LiveSession implements AutoCloseable {

    private final UdpEventReceiver receiver;
    private final LiveClassifier classifier;
    private final Recorder latency = new Recorder(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Disposable subscription;
    private volatile long classifications;
    private volatile Throwable failure;
    private final Scheduler output = Schedulers.newSingle("spikeflux-output", true);
    private final java.util.concurrent.atomic.AtomicLong droppedDecisions = new java.util.concurrent.atomic.AtomicLong();

    public LiveSession(CalibratedModel model, ReceiverOptions receiverOptions, LiveOptions liveOptions, FleetOptions fleet,
                Consumer<Classification> onClassification) {
        this.classifier = new LiveClassifier(model.topology(), model.parameters(), liveOptions, fleet, Schedulers.parallel(),
                System::nanoTime);
        classifier.warmUp(3000);
        this.receiver = UdpEventReceiver.start(receiverOptions);
        // Class loading of the network stack and the warm-up's garbage would otherwise trigger a
        // full collection in the first second of the stream (tens of ms of decisions late).
        System.gc();
        // routing to the sensors' lanes is cheap and runs where packets arrive; the pipelines run
        // on the engine threads
        this.subscription = classifier.classify(receiver.packets())
                // printing and JSON happen on a thread of their own, so a slow terminal never holds
                // up an engine thread; decisions it cannot take in time are counted, not queued
                .onBackpressureDrop(c -> droppedDecisions.incrementAndGet())
                .publishOn(output, 4096)
                .subscribe(c -> {
                    classifications++;
                    if (c.latencyMs() > 0) {
                        latency.recordValue(Math.max(1, (long) (c.latencyMs() * 1000)));
                    }
                    onClassification.accept(c);
                }, e -> failure = e);
    }

    /** Decisions the output (terminal, JSON) could not keep up with. */
    public long droppedDecisions() {
        return droppedDecisions.get();
    }

    /** A failure that ended the whole session (not one sensor's), or null. */
    public Throwable failure() {
        return failure;
    }

    public UdpEventReceiver receiver() {
        return receiver;
    }

    public LiveClassifier classifier() {
        return classifier;
    }

    public long classifications() {
        return classifications;
    }

    public SensorCounters.Snapshot totals() {
        return SensorCounters.Snapshot.sum(receiver.counters().stream().map(SensorCounters::snapshot).toList());
    }

    /** Latency since the session started, in µs. */
    public synchronized Histogram latencyMicros() {
        latencyTotal.add(latency.getIntervalHistogram());
        return latencyTotal.copy();
    }

    @Override
    public void close() {
        subscription.dispose();
        receiver.close();
        output.dispose();
    }
}
