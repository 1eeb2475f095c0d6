package io.spikeflux.bench;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventReceiver;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import reactor.core.publisher.Flux;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback UDP receive throughput: a paced sender offers events at a rising rate to the receiver
 * (with a consumer counting them); reports, per rate, what arrived, was lost in the kernel, or
 * dropped in the queue. Not JMH: the measurement is a rate sweep over wall-clock seconds.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.spikeflux.bench.UdpThroughput [protocol] [events/datagram]}
 */
public final class UdpThroughput {

    private UdpThroughput() {
    }

    public static void main(String[] args) throws Exception {
        WireProtocol protocol = WireProtocol.parse(args.length > 0 ? args[0] : "jaer");
        int perDatagram = args.length > 1 ? Integer.parseInt(args[1]) : UdpEventSender.maxEventsPerDatagram(protocol, 63_000);
        SensorGeometry g = new SensorGeometry(346, 260);
        double[] ratesMevs = {1, 5, 10, 20, 30, 40, 60, 80};
        System.out.printf("protocol %s, %d events per datagram%n", protocol, perDatagram);
        System.out.printf("%10s %12s %12s %10s %10s %10s %10s%n", "offered", "received", "datagrams/s", "lost", "dropped",
                "Mev/s", "loss");
        for (double rate : ratesMevs) {
            long events = (long) (rate * 1e6 * 2); // two seconds of sensor time
            Flux<EventPacket> source = synthetic(g, events, rate);
            try (UdpEventReceiver r = UdpEventReceiver.start(ReceiverOptions.defaults(protocol, g).withPort(0)
                    .withReceiveBuffer(32 << 20));
                 UdpEventSender s = new UdpEventSender(new InetSocketAddress("127.0.0.1", r.address().getPort()),
                         protocol, perDatagram, "bench", AddressLayout.DAVIS)) {
                AtomicLong consumed = new AtomicLong();
                var sub = r.packets().subscribe(p -> consumed.addAndGet(p.size()));
                long t0 = System.nanoTime();
                s.send(source, 1.0, 1_000_000);
                double sendS = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(300);
                sub.dispose();
                SensorCounters.Snapshot c = SensorCounters.Snapshot.sum(r.counters().stream().map(SensorCounters::snapshot).toList());
                long lostDatagrams = s.datagramsSent() - c.datagrams();
                System.out.printf("%8.0f M %,12d %12.0f %10d %10d %10.1f %9.3f%%%n", rate, consumed.get(),
                        c.datagrams() / sendS, lostDatagrams, c.droppedDatagrams(), consumed.get() / sendS / 1e6,
                        100.0 * (events - consumed.get()) / events);
            }
        }
    }

    /** Events at a steady rate, in packets of 8192, spread over the sensor. */
    private static Flux<EventPacket> synthetic(SensorGeometry g, long events, double rateMevs) {
        return Flux.generate(() -> new long[]{0}, (state, sink) -> {
            long done = state[0];
            if (done >= events) {
                sink.complete();
                return state;
            }
            int n = (int) Math.min(8192, events - done);
            short[] x = new short[n];
            short[] y = new short[n];
            byte[] p = new byte[n];
            long[] t = new long[n];
            Random random = new Random(done);
            for (int i = 0; i < n; i++) {
                x[i] = (short) random.nextInt(g.width());
                y[i] = (short) random.nextInt(g.height());
                p[i] = (byte) (i & 1);
                t[i] = (long) ((done + i) / rateMevs); // µs
            }
            state[0] = done + n;
            sink.next(new EventPacket("bench", g, 0, n, x, y, p, t));
            return state;
        });
    }

}
