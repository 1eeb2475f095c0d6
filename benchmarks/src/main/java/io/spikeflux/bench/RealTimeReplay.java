package io.spikeflux.bench;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One real-time run of the live benchmarks: events sent at their sensor time over UDP on loopback
 * into a live session like `spikeflux live`, waited for until the engine is done.
 */
final class RealTimeReplay {

    /** What a run measured. */
    record Result(double eventsPerSecond, long datagrams, long lost, long dropped, long lateEvents, double lagMs,
                  double p50Ms, double p99Ms) {
    }

    private RealTimeReplay() {
    }

    static Result run(CalibratedModel model, ReceiverOptions receiver, LiveOptions decisions, Flux<EventPacket> stream,
                      int eventsPerDatagram, AddressLayout layout) throws Exception {
        return run(model, receiver, decisions, FleetOptions.defaults(), stream, eventsPerDatagram, layout);
    }

    static Result run(CalibratedModel model, ReceiverOptions receiver, LiveOptions decisions, FleetOptions fleet,
                      Flux<EventPacket> stream, int eventsPerDatagram, AddressLayout layout) throws Exception {
        AtomicLong lastDecisionWall = new AtomicLong();
        try (LiveSession session = new LiveSession(model, receiver, decisions, fleet,
                c -> lastDecisionWall.set(System.nanoTime()))) {
            long t0 = System.nanoTime();
            long datagrams;
            long events;
            WireProtocol protocol = receiver.protocol();
            try (UdpEventSender s = new UdpEventSender(new InetSocketAddress("127.0.0.1",
                    session.receiver().address().getPort()), protocol, eventsPerDatagram, "replay", layout)) {
                s.send(stream, 1.0, 1000);
                datagrams = s.datagramsSent();
                events = s.eventsSent();
            }
            long sentAt = System.nanoTime();
            long steps;
            do {
                steps = session.classifier().steps();
                Thread.sleep(50);
            } while (session.classifier().steps() != steps);
            SensorCounters.Snapshot c = session.totals();
            Histogram latency = session.latencyMicros();
            return new Result(events / ((sentAt - t0) / 1e9), datagrams, datagrams - c.datagrams(), c.droppedDatagrams(),
                    session.classifier().lateEvents(), Math.max(0, (lastDecisionWall.get() - sentAt) / 1e6),
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
        }
    }
}
