package io.spikeflux.view.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetCounters;
import io.spikeflux.live.LiveEngine;
import io.spikeflux.view.metrics.LiveMetrics;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the live web page shows, made on the server: every {@link #FRAME_MS} ms one downsampled
 * event frame per sensor, and every {@link #STATE_TICKS} ticks the state of every sensor (announced
 * class, confidence, class shares, counters, latency) as JSON. Both go out on one broadcast that never
 * waits: a browser that has not asked for the next message misses it (counted), so a slow page
 * shows fewer frames instead of older ones.
 */
public final class LiveView implements AutoCloseable {

    /** Frame period: 25 frames per second, so a page that misses some (a busy tab) still draws 20 or more. */
    public static final int FRAME_MS = 40;
    /** A state every 3 frames: 120 ms, one column of the page's timeline. */
    public static final int STATE_TICKS = 3;
    /** Sensors silent this long leave the page. */
    private static final long FORGET_AFTER_MS = 60_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> classNames;
    private final SensorFrames frames = new SensorFrames();
    private final Map<String, Classification> latest = new ConcurrentHashMap<>();
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();
    private final Sinks.Many<ViewMessage> broadcast = Sinks.many().multicast().directBestEffort();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final Scheduler timer = Schedulers.newSingle("spikeflux-view", true);
    private final long startedMs = System.currentTimeMillis();
    private volatile LiveEngine session;
    private volatile LiveMetrics metrics;
    private Disposable ticks;
    private long tick;

    public LiveView(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    /** Where the session's packets are counted into frames; runs on the receiving thread. */
    public Consumer<EventPacket> packetTap() {
        return p -> {
            frames.accept(p);
            LiveMetrics m = metrics;
            if (m != null) {
                m.packet(p);
            }
        };
    }

    /** Called with each decision, on the session's output thread. */
    public void decision(Classification c) {
        latest.put(c.sensorId(), c);
        LiveMetrics m = metrics;
        if (m != null) {
            m.decision(c);
        }
    }

    /** Connects the view to its session (made after the view, since the session takes the view's tap) and starts the frames. */
    public synchronized void attach(LiveEngine session) {
        if (this.session != null) {
            throw new IllegalStateException("the view already shows a session");
        }
        this.session = session;
        this.metrics = new LiveMetrics(session);
        start();
    }

    /** Starts sending frames and states (done by {@link #attach}; alone, the view shows packets and decisions fed to it). */
    public synchronized void start() {
        if (ticks == null) {
            ticks = Flux.interval(Duration.ofMillis(FRAME_MS), timer).subscribe(t -> tick());
        }
    }

    public LiveMetrics metrics() {
        return metrics;
    }

    public LiveEngine session() {
        return session;
    }

    /** Messages for the pages: binary frames and JSON states. */
    public Flux<ViewMessage> messages() {
        return broadcast.asFlux();
    }

    /** Messages a slow page missed. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    void missed() {
        droppedMessages.incrementAndGet();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        for (SensorFrames.Frame f : frames.drain()) {
            Activity a = activity.computeIfAbsent(f.sensorId(), id -> new Activity());
            a.add(f.events(), now);
            if (f.events() > 0 || now - a.lastEventMs < 1000) {
                broadcast.tryEmitNext(new ViewMessage(f.message(), null));
            }
        }
        if (tick++ % STATE_TICKS == 0) {
            forgetSilent(now);
            broadcast.tryEmitNext(new ViewMessage(null, stateJson()));
        }
    }

    private void forgetSilent(long now) {
        activity.entrySet().removeIf(e -> {
            boolean gone = now - e.getValue().lastEventMs > FORGET_AFTER_MS;
            if (gone) {
                frames.forget(e.getKey());
                latest.remove(e.getKey());
            }
            return gone;
        });
    }

    /** The state the page shows, as the page reads it. */
    public String stateJson() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "state");
        s.put("classes", classNames);
        s.put("uptime_s", (System.currentTimeMillis() - startedMs) / 1000);
        LiveEngine ses = session;
        LiveMetrics m = metrics;
        if (m != null) {
            m.refreshReceiverSources();
        }
        TreeMap<String, Object> sensors = new TreeMap<>();
        for (String id : activity.keySet()) {
            sensors.put(id, sensorState(id, m));
        }
        for (String id : latest.keySet()) {
            sensors.computeIfAbsent(id, k -> sensorState(k, m));
        }
        s.put("sensors", new ArrayList<>(sensors.values()));
        if (ses != null) {
            FleetCounters f = ses.classifier().fleetCounters();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("active", f.active());
            e.put("evicted", f.evicted());
            e.put("failed", f.failed());
            e.put("refused_packets", f.refusedPackets());
            e.put("queue_dropped_packets", f.droppedPackets());
            e.put("shed_packets", f.shedPackets());
            e.put("late_events", ses.classifier().lateEvents());
            e.put("dropped_decisions", ses.droppedDecisions());
            e.put("failure", ses.failure() == null ? null : ses.failure().toString());
            s.put("engine", e);
        }
        s.put("view_dropped_messages", droppedMessages.get());
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> sensorState(String id, LiveMetrics m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        Classification c = latest.get(id);
        if (c != null) {
            o.put("class", c.topClass());
            o.put("name", c.topName());
            o.put("confidence", c.confidence());
            o.put("raw_class", c.rawClass());
            double[] shares = new double[c.counts().length];
            for (int k = 0; k < shares.length; k++) {
                shares[k] = c.share(k);
            }
            o.put("shares", shares);
            o.put("window_end_us", c.windowEndUs());
        }
        Activity a = activity.get(id);
        o.put("events_per_s", a == null ? 0 : a.ratePerSecond());
        if (m != null) {
            o.put("decisions", m.decisions(id));
            double[] lat = m.latencyMs(id);
            if (lat != null) {
                o.put("latency_p50_ms", lat[0]);
                o.put("latency_p99_ms", lat[1]);
            }
            SensorCounters.Snapshot r = m.receiverCounters(id);
            if (r != null) {
                o.put("datagrams", r.datagrams());
                o.put("lost", r.lost());
                o.put("dropped", r.droppedDatagrams());
                o.put("malformed", r.malformed());
                o.put("late", r.late());
            }
        }
        return o;
    }

    @Override
    public synchronized void close() {
        if (ticks != null) {
            ticks.dispose();
        }
        broadcast.tryEmitComplete();
        timer.dispose();
        LiveMetrics m = metrics;
        if (m != null) {
            m.close();
        }
    }

    /** A message to the pages: binary (a frame) or text (JSON state). */
    public record ViewMessage(byte[] binary, String text) {
    }

    /** Events of one sensor over the last second, from its frames. */
    private static final class Activity {
        private final long[] perTick = new long[1000 / FRAME_MS];
        private int next;
        volatile long lastEventMs = System.currentTimeMillis();

        synchronized void add(long events, long now) {
            perTick[next] = events;
            next = (next + 1) % perTick.length;
            if (events > 0) {
                lastEventMs = now;
            }
        }

        synchronized long ratePerSecond() {
            long sum = 0;
            for (long e : perTick) {
                sum += e;
            }
            return sum;
        }
    }
}
