package io.spikeflux.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.tcp.DvTcpClient;
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
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.function.Consumer;

/**
 * A source of events (a UDP receiver, or a client of a DV camera's TCP stream) feeding the live
 * classifier. Classification runs on its own thread, not on the network event loop, so a slow
 * model turns into counted queue drops instead of kernel loss.
 */
public final class LiveSession implements LiveEngine, AutoCloseable {

    /** The UDP receiver, or null for a TCP source. */
    private final UdpEventReceiver receiver;
    /** The DV TCP client, or null for a UDP source. */
    private final DvTcpClient dv;
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
        this(model, receiverOptions, null, liveOptions, fleet, onClassification, null);
    }

    /**
     * Classifies what a UDP receiver gets; {@code packetTap} also sees every packet as it arrives,
     * on the receiving thread (the web view counts its frames there), before any queue. The tap
     * reads the packet there and then: the engine gives its recycled arrays back once binned.
     */
    public LiveSession(CalibratedModel model, ReceiverOptions receiverOptions, LiveOptions liveOptions, FleetOptions fleet,
                       Consumer<Classification> onClassification, Consumer<EventPacket> packetTap) {
        this(model, receiverOptions, null, liveOptions, fleet, onClassification, packetTap);
    }

    /** Classifies the stream of a DV camera (AEDAT 4 over TCP), reconnecting as the client does. */
    public LiveSession(CalibratedModel model, DvTcpClient dv, LiveOptions liveOptions, FleetOptions fleet,
                       Consumer<Classification> onClassification) {
        this(model, null, dv, liveOptions, fleet, onClassification, null);
    }

    /** As {@link #LiveSession(CalibratedModel, DvTcpClient, LiveOptions, FleetOptions, Consumer)}, with a packet tap. */
    public LiveSession(CalibratedModel model, DvTcpClient dv, LiveOptions liveOptions, FleetOptions fleet,
                       Consumer<Classification> onClassification, Consumer<EventPacket> packetTap) {
        this(model, null, dv, liveOptions, fleet, onClassification, packetTap);
    }

    private LiveSession(CalibratedModel model, ReceiverOptions receiverOptions, DvTcpClient dv, LiveOptions liveOptions,
                        FleetOptions fleet, Consumer<Classification> onClassification, Consumer<EventPacket> packetTap) {
        this.classifier = LiveClassifier.inRealTime(model.topology(), model.parameters(), liveOptions, fleet);
        classifier.warmUp(3000);
        // the session is the receiver's one consumer and bins each packet once: its arrays are recycled
        this.receiver = receiverOptions == null ? null : UdpEventReceiver.start(receiverOptions.withRecycledPackets());
        this.dv = dv;
        // Class loading of the network stack and the warm-up's garbage would otherwise trigger a
        // full collection in the first second of the stream (tens of ms of decisions late).
        System.gc();
        // routing to the sensors' lanes is cheap and runs where packets arrive; the pipelines run
        // on the engine threads
        Flux<EventPacket> packets = receiver != null ? receiver.packets() : dv.packets();
        if (packetTap != null) {
            packets = packets.doOnNext(packetTap);
        }
        this.subscription = classifier.classify(packets)
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

    @Override
    public java.util.List<SensorCounters> sourceCounters() {
        return receiver == null ? java.util.List.of() : receiver.counters();
    }

    @Override
    public java.util.Map<String, java.util.function.LongSupplier> sourceTotals() {
        if (dv != null) {
            return java.util.Map.of("dv.events", dv::events, "dv.connections", dv::connections, "dv.failures", dv::failures);
        }
        return java.util.Map.of("udp.rejected.datagrams", receiver::rejected);
    }

    @Override
    public java.util.Map<String, Long> rejectedBySource() {
        return receiver == null ? java.util.Map.of() : receiver.rejectedBySource();
    }

    @Override
    public java.util.function.LongSupplier rejectedFrom(String address) {
        return receiver == null ? () -> 0L : receiver.rejectedFrom(address);
    }

    /** Decisions the output (terminal, JSON) could not keep up with. */
    @Override
    public long droppedDecisions() {
        return droppedDecisions.get();
    }

    /** A failure that ended the whole session (not one sensor's), or null. */
    @Override
    public Throwable failure() {
        return failure;
    }

    /** The UDP receiver; null when the events come over TCP. */
    public UdpEventReceiver receiver() {
        return receiver;
    }

    /** The DV TCP client; null when the events come over UDP. */
    public DvTcpClient dvClient() {
        return dv;
    }

    @Override
    public LiveClassifier classifier() {
        return classifier;
    }

    @Override
    public long classifications() {
        return classifications;
    }

    /** The UDP receiver's totals (datagrams, loss, malformed); all zero for a TCP source. */
    public SensorCounters.Snapshot totals() {
        return SensorCounters.Snapshot.sum(receiver == null ? java.util.List.of()
                : receiver.counters().stream().map(SensorCounters::snapshot).toList());
    }

    /** Latency since the session started, in µs. */
    public synchronized Histogram latencyMicros() {
        latencyTotal.add(latency.getIntervalHistogram());
        return latencyTotal.copy();
    }

    @Override
    public void close() {
        subscription.dispose();
        if (receiver != null) {
            receiver.close();
        }
        output.dispose();
    }
}
