package io.spikeflux.cli;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventReceiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Receive events over UDP and print a line per second per sensor: rate, ON share, lost, dropped, malformed.")
final class ListenCommand implements Runnable {

    @Mixin
    ReceiverCliOptions receiver = new ReceiverCliOptions();

    @Option(names = "--sensor", defaultValue = "346x260", description = "Sensor size for jaer/spif (default ${DEFAULT-VALUE}).")
    SensorGeometry sensor;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "One JSON object per sensor and second, to FILE or to stdout with - (instead of the text lines).")
    JsonTarget json;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: run until interrupted).")
    Integer seconds;

    @Override
    public void run() {
        SensorGeometry g = sensor;
        try (UdpEventReceiver r = UdpEventReceiver.start(receiver.options(g))) {
            System.err.printf("listening on %s (%s), kernel receive buffer %d bytes%n", r.address(), receiver.protocol,
                    r.effectiveReceiveBufferBytes());
            var sub = r.packets().subscribe(); // drain: listen only counts
            Map<String, SensorCounters.Snapshot> previous = new HashMap<>();
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (r.rejected() > 0) {
                    printRejected(r);
                }
                for (SensorCounters c : r.counters()) {
                    SensorCounters.Snapshot now = c.snapshot();
                    SensorCounters.Snapshot before = previous.getOrDefault(c.sensorId(), null);
                    previous.put(c.sensorId(), now);
                    long events = now.events() - (before == null ? 0 : before.events());
                    long on = now.onEvents() - (before == null ? 0 : before.onEvents());
                    print(now, events, on);
                }
            }
            sub.dispose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void printRejected(UdpEventReceiver r) {
        Map<String, Long> bySource = r.rejectedBySource();
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rejected", r.rejected());
            m.put("rejected_by_source", bySource);
            json.line(m);
        } else {
            StringBuilder top = new StringBuilder();
            bySource.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(String.format("%,d", e.getValue())));
            System.err.printf("rejected %,d datagrams from sources outside --allow (%s%s)%n", r.rejected(), top,
                    bySource.size() > 5 ? ", ..." : "");
        }
    }

    private void print(SensorCounters.Snapshot s, long events, long on) {
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sensor", s.sensorId());
            m.put("events_per_s", events);
            m.put("on_share", events == 0 ? 0 : (double) on / events);
            m.put("datagrams", s.datagrams());
            m.put("lost", s.lost());
            m.put("reordered", s.reordered());
            m.put("duplicated", s.duplicated());
            m.put("dropped_datagrams", s.droppedDatagrams());
            m.put("dropped_events", s.droppedEvents());
            m.put("malformed", s.malformed());
            m.put("late", s.late());
            m.put("resyncs", s.resyncs());
            if (s.lastError() != null) {
                m.put("last_error", s.lastError());
            }
            json.line(m);
        } else {
            System.out.printf("%-22s %12s ev/s  ON %5.1f%%  datagrams %,d  lost %d  reordered %d  dup %d  late %d  resyncs %d  "
                            + "dropped %d  malformed %d%s%n",
                    s.sensorId(), String.format("%,d", events), events == 0 ? 0 : 100.0 * on / events, s.datagrams(),
                    s.lost(), s.reordered(), s.duplicated(), s.late(), s.resyncs(), s.droppedDatagrams(), s.malformed(),
                    s.lastError() == null ? "" : "  (last: " + s.lastError() + ")");
        }
    }
}
