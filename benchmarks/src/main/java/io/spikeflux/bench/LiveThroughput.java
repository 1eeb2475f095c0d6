package io.spikeflux.bench;


import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.NmnistFiles;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import reactor.core.publisher.Flux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The live engine in real time at rising event rates: k emulated recordings are overlaid on one
 * 34x34 sensor clock (k x ~20 kev/s), sent at real time over UDP on loopback, and classified by
 * {@code nmnist_cnn} on one engine thread. Reports queue drops, how far the engine lags behind
 * when the camera stops, and latency from arrival to decision.
 *
 * <p>Run from the repository root: {@code java -cp benchmarks/target/benchmarks.jar io.spikeflux.bench.LiveThroughput}
 */
public final class LiveThroughput {

    private LiveThroughput() {
    }

    public static void main(String[] args) throws Exception {
        CalibratedModel model = CalibratedModel.load(Paths.repo("models/nmnist_cnn.snn"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(Paths.repo("data/nmnist-emu/test"))) {
            files = s.filter(p -> p.toString().endsWith(".bin")).sorted().limit(400).toList();
        }
        int[] overlays = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[]{1, 10, 25, 50, 100, 200};
        System.out.printf("%8s %10s %10s %10s %10s %12s %10s %10s%n", "overlay", "ev/s", "datagrams", "dropped", "lost",
                "lag at end", "p50 ms", "p99 ms");
        for (int k : overlays) {
            run(model, files, k);
        }
    }

    private static void run(CalibratedModel model, List<Path> files, int k) throws Exception {
        SensorGeometry g = new SensorGeometry(34, 34);
        EventPacket overlay = overlay(files, k, g);
        int cycles = 10; // 10 x 300 ms = 3 s of sensor time
        Flux<EventPacket> stream = Flux.range(0, cycles).map(c -> overlay.shiftedBy(c * 300_000L));
        ReceiverOptions receiver = ReceiverOptions.defaults(WireProtocol.JAER, g).withPort(0);
        LiveOptions decisions = new LiveOptions(1000, 100, 10, 0, LiveOptions.DEFAULT_CLOSE_MARGIN_US);
        // the same session as `spikeflux live`: receiver, sharded engine, latency histogram
        RealTimeReplay.Result r = RealTimeReplay.run(model, receiver, decisions, stream, 7874, AddressLayout.DAVIS);
        System.out.printf("%8d %10.0f %10d %10d %10d %9.1f ms %10.2f %10.2f%n", k, r.eventsPerSecond(), r.datagrams(),
                r.dropped(), r.lost(), r.lagMs(), r.p50Ms(), r.p99Ms());
    }

    /** k recordings on one clock, sorted by time. */
    private static EventPacket overlay(List<Path> files, int k, SensorGeometry g) {
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            for (EventPacket p : NmnistFiles.read(files.get(i % files.size())).toIterable()) {
                for (int e = 0; e < p.size(); e++) {
                    all.add(new long[]{Math.min(299_999, p.timestampUs(e)), p.x(e), p.y(e), p.polarity(e)});
                }
            }
        }
        all.sort((a, b) -> Long.compare(a[0], b[0]));
        int n = all.size();
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] pol = new byte[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long[] e = all.get(i);
            t[i] = e[0];
            x[i] = (short) e[1];
            y[i] = (short) e[2];
            pol[i] = (byte) e[3];
        }
        return new EventPacket("overlay", g, 1, n, x, y, pol, t);
    }

}
