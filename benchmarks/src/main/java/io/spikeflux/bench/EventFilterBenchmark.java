package io.spikeflux.bench;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.filter.FilterChain;
import io.spikeflux.aer.filter.FilterSpec;
import io.spikeflux.aer.format.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Noise filters on the bundled Prophesee Gen4.1 (1280x720) recording's events, one core: events
 * per second through each filter alone and through the chain. Each invocation filters 2^20
 * events (the recording repeated, each repeat later in time) with filters of fresh state.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventFilterBenchmark {

    /** Events per invocation: the recording's packets, re-timed per pass. */
    private static final int EVENTS = 1 << 20;

    @Param({"background:2ms", "refractory:1ms", "hot-pixels:10ms", "background:2ms,refractory:1ms,hot-pixels:10ms"})
    public String filters;

    private FilterSpec spec;
    private SensorGeometry geometry;
    private FilterChain chain;
    private EventPacket events;

    @Setup
    public void setup() {
        List<EventPacket> packets = Recording.open(Paths.repo("io-aer/src/test/resources/events/prophesee_gen41_evt3_sample.raw"))
                .events().collectList().block();
        geometry = KnownCamera.PROPHESEE_GEN4.geometry();
        spec = FilterSpec.parse(filters);
        long span = packets.get(packets.size() - 1).lastTimestampUs() - packets.get(0).firstTimestampUs() + 1;
        short[] x = new short[EVENTS];
        short[] y = new short[EVENTS];
        byte[] p = new byte[EVENTS];
        long[] t = new long[EVENTS];
        int n = 0;
        outer:
        for (int round = 0; ; round++) {
            for (EventPacket pk : packets) {
                for (int i = 0; i < pk.size(); i++) {
                    if (n == EVENTS) {
                        break outer;
                    }
                    x[n] = (short) pk.x(i);
                    y[n] = (short) pk.y(i);
                    p[n] = (byte) pk.polarity(i);
                    t[n] = round * span + pk.timestampUs(i);
                    n++;
                }
            }
        }
        events = new EventPacket("bench", geometry, 1, EVENTS, x, y, p, t);
    }

    @Setup(Level.Invocation)
    public void freshState() {
        chain = spec.newChain(geometry);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int filter() {
        return chain.apply(events).size();
    }
}
