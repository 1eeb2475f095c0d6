package io.spikeflux.bench;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.FleetCounters;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Overload soak: one source floods `live` with 63 kB jAER datagrams (7,874 events, 1 ms of sensor
 * time each) as fast as one thread sends them, while a well-behaved camera replays N-MNIST
 * recordings in real time. Reports every second and at the end: the process's resident memory,
 * the flood's datagrams (sent = received + lost, dropped counted), what the engine shed to stay
 * within the lag bound, and the latency of the well-behaved camera's decisions.
 * <p>
 * Run with a 1 GB heap: {@code java -Xmx1g --add-modules jdk.incubator.vector -Dspikeflux.home=. -cp
 * benchmarks/target/benchmarks.jar io.spikeflux.bench.SoakFlood [SECONDS] [MAX_LAG_MS]} (60, 200).
 */
public final class SoakFlood {

    private SoakFlood() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long maxLagMs = args.length > 1 ? Long.parseLong(args[1]) : 200;
        CalibratedModel model = CalibratedModel.load(Paths.repo("models/nmnist_cnn.snn"));
        SensorGeometry g = new SensorGeometry(34, 34);
        Histogram calm = new Histogram(3);
        AtomicLong calmDecisions = new AtomicLong();
        String[] calmId = new String[1];
        FleetOptions fleet = new FleetOptions(Runtime.getRuntime().availableProcessors(), 256, 30_000, 1_000_000, maxLagMs);
        try (LiveSession session = new LiveSession(model, ReceiverOptions.defaults(WireProtocol.JAER, g).withPort(0),
                new LiveOptions(model.dtUs(), 100, 10, 50), fleet, c -> {
                    if (c.sensorId().equals(calmId[0]) && c.latencyMs() > 0) {
                        synchronized (calm) {
                            calm.recordValue(Math.max(1, (long) (c.latencyMs() * 1000)));
                        }
                        calmDecisions.incrementAndGet();
                    }
                })) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong floodSent = new AtomicLong();
            Thread flooder = new Thread(() -> flood(target, g, stop, floodSent), "flooder");
            UdpEventSender camera = new UdpEventSender(target, WireProtocol.JAER, 512, "calm", AddressLayout.forGeometry(g));
            calmId[0] = "127.0.0.1:" + camera.localPort();
            var recordings = LabelledRecordings.list(Paths.repo("data/nmnist-emu"), 500);
            // the calm camera loops its recordings for the whole soak, one sensor clock
            var replay = camera.sendAsync(new ReplayCamera(recordings, 50_000).events()
                    .takeUntil(p -> stop.get()), 1.0, 1000).toFuture();
            flooder.start();
            long maxRss = 0;
            System.out.printf("%4s %10s %12s %12s %10s %12s %12s %14s %14s%n", "s", "RSS MB", "flood sent", "received",
                    "lost", "dropped", "shed pkts", "calm decisions", "calm p99 ms");
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                long rss = rssMb();
                maxRss = Math.max(maxRss, rss);
                SensorCounters.Snapshot t = session.totals();
                FleetCounters f = session.classifier().fleetCounters();
                double p99;
                synchronized (calm) {
                    p99 = calm.getValueAtPercentile(99) / 1000.0;
                }
                System.out.printf("%4d %10d %12d %12d %10d %12d %12d %14d %14.1f%n", s, rss, floodSent.get(), t.datagrams(),
                        t.lost(), t.droppedDatagrams(), f.shedPackets(), calmDecisions.get(), p99);
            }
            stop.set(true);
            flooder.join();
            replay.get();
            Thread.sleep(2000);
            SensorCounters.Snapshot t = session.totals();
            long sent = floodSent.get() + camera.datagramsSent();
            System.out.printf("%nafter %d s with -Xmx%s: RSS at most %d MB; datagrams sent %,d = received %,d + lost %,d "
                            + "+ unaccounted %,d (dropped by the receiver's queue %,d, malformed %d); engine shed %,d packets "
                            + "(%,d events) older than %d ms, dropped %,d at sensor queues%n", seconds,
                    Runtime.getRuntime().maxMemory() / (1 << 20) + "m", maxRss, sent, t.datagrams(), t.lost(),
                    sent - t.datagrams() - t.lost(), t.droppedDatagrams(), t.malformed(),
                    session.classifier().fleetCounters().shedPackets(), session.classifier().fleetCounters().shedEvents(),
                    maxLagMs, session.classifier().fleetCounters().droppedPackets());
            synchronized (calm) {
                System.out.printf("calm camera: %,d decisions, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        calmDecisions.get(), calm.getValueAtPercentile(50) / 1000.0, calm.getValueAtPercentile(99) / 1000.0,
                        calm.getMaxValue() / 1000.0);
            }
            camera.close();
        }
        System.exit(0);
    }

    /** 63 kB jAER datagrams, each the next millisecond of sensor time, as fast as one thread sends. */
    private static void flood(InetSocketAddress target, SensorGeometry g, AtomicBoolean stop, AtomicLong sent) {
        int n = UdpEventSender.maxEventsPerDatagram(WireProtocol.JAER, 63_000);
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = (short) r.nextInt(g.width());
            y[i] = (short) r.nextInt(g.height());
            p[i] = (byte) r.nextInt(2);
        }
        EventPacket packet = new EventPacket("flood", g, 0, n, x, y, p, t);
        try (UdpEventSender s = new UdpEventSender(target, WireProtocol.JAER, n, "flood", AddressLayout.forGeometry(g))) {
            for (long seq = 1; !stop.get(); seq++) {
                // the packet's timestamps are rewritten in place: encoding is done when sendRaw returns
                long base = seq * 1000;
                for (int i = 0; i < n; i++) {
                    t[i] = base + (long) i * 1000 / n;
                }
                s.sendRaw(packet, 0, n, seq);
                sent.incrementAndGet();
            }
        }
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
