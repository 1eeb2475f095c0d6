package io.spikeflux.bench;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.filter.FilterSpec;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * A real HD camera at rising event rates: the bundled Prophesee Gen4.1 recording (1280x720),
 * its time stretched to the rate asked for and looped for 3 s of sensor time, sent in real time
 * over UDP (protobuf, which carries the geometry) on loopback into a live session with the
 * background-activity filter, the default fit (centre crop, pooled to 34x34) and
 * {@code nmnist_cnn}. Reports loss, queue drops, late events, lag at the end and latency, after
 * a warm-up run at the first rate (its line is labelled) that compiles the whole path.
 *
 * <p>Run from the repository root: {@code java --add-modules jdk.incubator.vector -Dspikeflux.home=.
 * -cp benchmarks/target/benchmarks.jar io.spikeflux.bench.CameraThroughput [--pipeline=N] 0.5 1 2 4 8}
 */
public final class CameraThroughput {

    private CameraThroughput() {
    }

    public static void main(String[] args) throws Exception {
        // --pipeline=N first: the network of the camera's sensor on N threads of its own (live --pipeline)
        FleetOptions fleet = FleetOptions.defaults();
        if (args.length > 0 && args[0].startsWith("--pipeline=")) {
            fleet = fleet.withStageGroups(Integer.parseInt(args[0].substring("--pipeline=".length())));
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        CalibratedModel model = CalibratedModel.load(Paths.repo("models/nmnist_cnn.snn"));
        List<EventPacket> packets = Recording.open(Paths.repo("io-aer/src/test/resources/events/prophesee_gen41_evt3_sample.raw"))
                .events().collectList().block();
        double[] rates = args.length > 0 ? java.util.Arrays.stream(args).mapToDouble(Double::parseDouble).toArray()
                : new double[]{0.5, 1, 2, 4, 8};
        System.out.printf("%8s %10s %10s %8s %8s %10s %10s %10s %10s%n", "Mev/s", "sent ev/s", "datagrams", "lost",
                "dropped", "late ev", "lag end", "p50 ms", "p99 ms");
        // a first run warms the JIT up on the whole path (sender, receiver, filter, engine), so the
        // first measured rate is not the one that pays for compilation
        System.out.print("warm-up ");
        run(model, fleet, packets, rates[0] * 1e6);
        for (double r : rates) {
            run(model, fleet, packets, r * 1e6);
        }
    }

    private static void run(CalibratedModel model, FleetOptions fleet, List<EventPacket> packets, double rate)
            throws Exception {
        SensorGeometry g = KnownCamera.PROPHESEE_GEN4.geometry();
        EventPacket one = stretched(packets, rate, g);
        long span = one.lastTimestampUs() - one.firstTimestampUs() + 1;
        int cycles = (int) Math.max(1, 3_000_000 / span);
        Flux<EventPacket> stream = Flux.range(0, cycles).map(c -> one.shiftedBy(c * span));
        ReceiverOptions receiver = ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0);
        LiveOptions decisions = new LiveOptions(1000, 100, 10, 0, LiveOptions.DEFAULT_CLOSE_MARGIN_US)
                .withFilters(FilterSpec.parse("background:2ms"));
        RealTimeReplay.Result r = RealTimeReplay.run(model, receiver, decisions, fleet, stream, 4096, AddressLayout.DAVIS);
        System.out.printf("%8.1f %10.0f %10d %8d %8d %10d %7.1f ms %10.2f %10.2f%n", rate / 1e6, r.eventsPerSecond(),
                r.datagrams(), r.lost(), r.dropped(), r.lateEvents(), r.lagMs(), r.p50Ms(), r.p99Ms());
    }

    /** The recording as one packet whose events are spread to {@code rate} events per second. */
    private static EventPacket stretched(List<EventPacket> packets, double rate, SensorGeometry g) {
        int n = packets.stream().mapToInt(EventPacket::size).sum();
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        int k = 0;
        for (EventPacket pk : packets) {
            for (int i = 0; i < pk.size(); i++, k++) {
                x[k] = (short) pk.x(i);
                y[k] = (short) pk.y(i);
                p[k] = (byte) pk.polarity(i);
                t[k] = (long) (k * 1e6 / rate); // evenly spread: the recording's order, the asked rate
            }
        }
        return new EventPacket("gen4", g, 1, n, x, y, p, t);
    }
}
