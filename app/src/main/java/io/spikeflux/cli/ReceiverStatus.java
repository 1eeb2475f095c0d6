package io.spikeflux.cli;

import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventReceiver;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A UDP receiver's counters as a command prints them every second: one line (or JSON object) per
 * source with its event rate since the last call, and the datagrams the allow-list refused by
 * sender address. {@code listen} and {@code bridge} print the same.
 */
final class ReceiverStatus {

    private final UdpEventReceiver receiver;
    private final JsonTarget json;
    private final Map<String, SensorCounters.Snapshot> previous = new HashMap<>();

    ReceiverStatus(UdpEventReceiver receiver, JsonTarget json) {
        this.receiver = receiver;
        this.json = json;
    }

    /** Prints the lines; text goes to {@code text} (stdout for listen, stderr for bridge's log). */
    void print(java.io.PrintStream text) {
        if (receiver.rejected() > 0) {
            printRejected();
        }
        for (SensorCounters c : receiver.counters()) {
            SensorCounters.Snapshot now = c.snapshot();
            SensorCounters.Snapshot before = previous.put(c.sensorId(), now);
            if (before != null && now.events() < before.events()) {
                before = null; // a source retired and seen again counts from zero
            }
            long events = now.events() - (before == null ? 0 : before.events());
            long on = now.onEvents() - (before == null ? 0 : before.onEvents());
            print(text, now, events, on);
        }
    }

    private void printRejected() {
        Map<String, Long> bySource = receiver.rejectedBySource();
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rejected", receiver.rejected());
            m.put("rejected_by_source", bySource);
            json.line(m);
        } else {
            StringBuilder top = new StringBuilder();
            bySource.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(String.format("%,d", e.getValue())));
            System.err.printf("rejected %,d datagrams from sources outside --allow (%s%s)%n", receiver.rejected(), top,
                    bySource.size() > 5 ? ", ..." : "");
        }
    }

    private void print(java.io.PrintStream text, SensorCounters.Snapshot s, long events, long on) {
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
            text.printf("%-22s %12s ev/s  ON %5.1f%%  datagrams %,d  lost %d  reordered %d  dup %d  late %d  resyncs %d  "
                            + "dropped %d  malformed %d%s%n",
                    s.sensorId(), String.format("%,d", events), events == 0 ? 0 : 100.0 * on / events, s.datagrams(),
                    s.lost(), s.reordered(), s.duplicated(), s.late(), s.resyncs(), s.droppedDatagrams(), s.malformed(),
                    s.lastError() == null ? "" : "  (last: " + s.lastError() + ")");
        }
    }
}
