package io.spikeflux.view.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetCounters;
import io.spikeflux.live.LiveEngine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The live session's numbers as Micrometer meters, scraped by Prometheus at {@code /metrics} and
 * read by the web view, so both show the same counts: per sensor what the receiver counted
 * (datagrams, events, lost, dropped, malformed, late), decisions and their latency; for the engine
 * the sensor pipelines (open, evicted, failed, refused, queue drops), late events and the output's
 * dropped decisions; and the JVM's memory, GC, threads and CPU.
 */
public final class LiveMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LiveEngine session;
    private final Map<String, LongSupplier> sourceTotals;
    private final Map<String, LongSupplier> sourceGauges;
    private final Map<String, SensorMeters> sensors = new ConcurrentHashMap<>();
    /** Receiver counters per source, refreshed before every scrape; only touched under this lock. */
    private final Map<String, SensorCounters> receiverSources = new ConcurrentHashMap<>();
    /** Sender addresses with a rejected-datagrams meter; only touched under this lock. */
    private final java.util.Set<String> rejectedSources = new java.util.HashSet<>();

    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public LiveMetrics(LiveEngine session) {
        this.session = session;
        // Micrometer holds a meter's state weakly: the suppliers must be held here
        this.sourceTotals = Map.copyOf(session.sourceTotals());
        this.sourceGauges = Map.copyOf(session.sourceGauges());
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        FleetCounters f = session.classifier().fleetCounters();
        Gauge.builder("spikeflux.sensors.active", f, FleetCounters::active)
                .description("sensor pipelines open now").register(registry);
        fleetCounter("spikeflux.sensors.opened", "sensor pipelines opened", f, FleetCounters::opened);
        fleetCounter("spikeflux.sensors.evicted", "pipelines closed after their sensor fell silent", f, FleetCounters::evicted);
        fleetCounter("spikeflux.sensors.failed", "pipelines that failed and were closed", f, FleetCounters::failed);
        fleetCounter("spikeflux.sensors.refused.packets", "packets of new sources refused at the sensor limit", f,
                FleetCounters::refusedPackets);
        fleetCounter("spikeflux.sensor.queue.dropped.packets", "packets dropped because their sensor's queue was full", f,
                FleetCounters::droppedPackets);
        fleetCounter("spikeflux.shed.packets", "packets shed because they waited longer than the maximum lag", f,
                FleetCounters::shedPackets);
        FunctionCounter.builder("spikeflux.late.events", session.classifier(), c -> c.lateEvents())
                .description("events that arrived after the sensor clock closed their step").register(registry);
        FunctionCounter.builder("spikeflux.outside.events", session.classifier(), c -> c.outsideEvents())
                .description("events outside the sensor or the region of interest").register(registry);
        var filters = session.classifier().filters();
        for (int i = 0; i < filters.names().size(); i++) {
            int stage = i;
            FunctionCounter.builder("spikeflux.filter.removed.events", filters, x -> x.removed(stage))
                    .tag("filter", filters.names().get(i))
                    .description("events a noise filter removed, over all sensors").register(registry);
        }
        FunctionCounter.builder("spikeflux.output.dropped.decisions", session, LiveEngine::droppedDecisions)
                .description("decisions the output (terminal, JSON, out topic) could not take in time").register(registry);
        // the source's own counters: DV TCP connections, Kafka records and partitions, UDP rejections
        sourceTotals.forEach((name, value) ->
                FunctionCounter.builder("spikeflux." + name, value, v -> v.getAsLong()).register(registry));
        sourceGauges.forEach((name, value) ->
                Gauge.builder("spikeflux." + name, value, v -> v.getAsLong()).register(registry));
    }

    private void fleetCounter(String name, String description, FleetCounters f, ToDoubleFunction<FleetCounters> value) {
        FunctionCounter.builder(name, f, value).description(description).register(registry);
    }

    /** Records one decision (called on the session's output thread). */
    public void decision(Classification c) {
        SensorMeters m = sensors.computeIfAbsent(c.sensorId(), SensorMeters::new);
        m.decisions.increment();
        if (c.latencyMs() > 0) {
            long latencyNanos = (long) (c.latencyMs() * 1e6);
            m.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
            m.latencyNanos = latencyNanos;
            m.decidedArrivalNanos = System.nanoTime() - latencyNanos;
        }
    }

    /** Records a packet as it arrives (on the receiving thread), for the engine lag. */
    public void packet(EventPacket p) {
        SensorMeters m = sensors.get(p.sensorId());
        if (m != null && p.arrivalNanos() > m.newestArrivalNanos) {
            m.newestArrivalNanos = p.arrivalNanos();
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        refreshReceiverSources();
        return registry.scrape();
    }

    /** Latency percentiles of a sensor's recent decisions in ms: {p50, p99}, or null before any. */
    public double[] latencyMs(String sensorId) {
        SensorMeters m = sensors.get(sensorId);
        if (m == null || m.latency.count() == 0) {
            return null;
        }
        double[] out = new double[2];
        for (ValueAtPercentile v : m.latency.takeSnapshot().percentileValues()) {
            out[v.percentile() < 0.9 ? 0 : 1] = v.value(TimeUnit.MILLISECONDS);
        }
        return out;
    }

    public long decisions(String sensorId) {
        SensorMeters m = sensors.get(sensorId);
        return m == null ? 0 : (long) m.decisions.count();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Stops listening to the GC: each instance registers a listener with the JVM's collectors,
     * which would otherwise keep it (and its registry) for the JVM's life. The meters still read.
     */
    @Override
    public void close() {
        gcMetrics.close();
    }

    /** Registers meters for UDP sources seen since the last call. */
    public synchronized void refreshReceiverSources() {
        for (String address : session.rejectedBySource().keySet()) {
            if (rejectedSources.add(address)) {
                // the meter holds its state object weakly: the session, not the supplier only it would hold
                LongSupplier count = session.rejectedFrom(address);
                FunctionCounter.builder("spikeflux.rejected.datagrams", session, s -> count.getAsLong())
                        .description("datagrams refused by the allow-list, per sender address")
                        .tag("source", address).register(registry);
            }
        }
        for (SensorCounters c : session.sourceCounters()) {
            if (receiverSources.putIfAbsent(c.sensorId(), c) == null) {
                sourceCounter(c, "spikeflux.received.datagrams", "datagrams received", s -> s.datagrams());
                sourceCounter(c, "spikeflux.received.events", "events decoded (including dropped ones)", s -> s.events());
                sourceCounter(c, "spikeflux.lost.datagrams", "datagrams missing from the sequence", s -> s.lost());
                sourceCounter(c, "spikeflux.dropped.datagrams", "datagrams dropped because the receive queue was full",
                        s -> s.droppedDatagrams());
                sourceCounter(c, "spikeflux.malformed.datagrams", "datagrams that could not be decoded", s -> s.malformed());
                sourceCounter(c, "spikeflux.late.datagrams", "datagrams that arrived after their gap was given up",
                        s -> s.late());
            }
        }
    }

    private void sourceCounter(SensorCounters c, String name, String description,
                               ToDoubleFunction<SensorCounters.Snapshot> value) {
        FunctionCounter.builder(name, c, x -> value.applyAsDouble(x.snapshot())).description(description)
                .tag("sensor", c.sensorId()).register(registry);
    }

    /** The receiver's counters of one source, or null (TCP sources, or not seen yet). */
    public SensorCounters.Snapshot receiverCounters(String sensorId) {
        SensorCounters c = receiverSources.get(sensorId);
        return c == null ? null : c.snapshot();
    }

    private final class SensorMeters {

        final Counter decisions;
        final Timer latency;
        /** Arrival of the newest event the newest decision covers, and that decision's latency. */
        volatile long decidedArrivalNanos;
        volatile long latencyNanos;
        /** Arrival of the newest packet received, decided or not. */
        volatile long newestArrivalNanos = Long.MIN_VALUE;

        SensorMeters(String sensorId) {
            decisions = Counter.builder("spikeflux.decisions").description("decisions made").tag("sensor", sensorId)
                    .register(registry);
            latency = Timer.builder("spikeflux.decision.latency")
                    .description("from the arrival of the newest event of a step to its decision")
                    .tag("sensor", sensorId)
                    .publishPercentiles(0.5, 0.99)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(0).plusNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .distributionStatisticExpiry(Duration.ofSeconds(30))
                    .register(registry);
            Gauge.builder("spikeflux.engine.lag", this, SensorMeters::lagSeconds).baseUnit("seconds")
                    .description("how far the engine is behind the sensor: from the arrival of the newest event "
                            + "the newest decision covers to the newest arrival, at least that decision's latency")
                    .tag("sensor", sensorId).register(registry);
        }

        /**
         * From the arrival of the newest event the newest decision covers to the arrival of the
         * newest event received, and at least that decision's latency: while the engine keeps up
         * it follows the latency (plus the time since the last decision), while it stalls it grows.
         */
        double lagSeconds() {
            long newest = newestArrivalNanos;
            long decided = decidedArrivalNanos;
            long undecided = newest > decided ? newest - decided : 0;
            return Math.max(latencyNanos, undecided) / 1e9;
        }
    }
}
