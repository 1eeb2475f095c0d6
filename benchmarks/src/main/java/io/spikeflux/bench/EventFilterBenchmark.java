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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Noise filters on the bundled Prophesee Gen4.1 (1280x720) recording's events, one core: events
 * per second through each filter alone and through the chain, in the steady state of a live
 * stream. Each invocation filters 2^20 events (the recording repeated, each repeat later in
 * time) in packets of {@value #PACKET} events, the size a jAER datagram carries; one chain keeps
 * its state across invocations and every invocation moves the events on in time, so the
 * hot-pixel filter learns once, as on a camera, and the maps stay as warm as a stream keeps them.
 * The survivors are not copied: {@code live}'s binner reads them in place.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventFilterBenchmark {

    /** Events per invocation: the recording's events, re-timed per pass. */
    private static final int EVENTS = 1 << 20;
    /** Events per packet. */
    private static final int PACKET = 1024;

    @Param({"background:2ms", "refractory:1ms", "hot-pixels:10ms", "background:2ms,refractory:1ms,hot-pixels:10ms"})
    public String filters;

    private FilterChain chain;
    private final List<EventPacket> packets = new ArrayList<>();
    /** The packets' timestamp arrays, which each invocation moves on. */
    private final List<long[]> times = new ArrayList<>();
    /** How far the events move on per invocation: past the last one. */
    private long span;

    @Setup
    public void setup() {
        List<EventPacket> recording = Recording.open(Paths.repo("io-aer/src/test/resources/events/prophesee_gen41_evt3_sample.raw"))
                .events().collectList().block();
        SensorGeometry geometry = KnownCamera.PROPHESEE_GEN4.geometry();
        long recordingSpan = recording.get(recording.size() - 1).lastTimestampUs() - recording.get(0).firstTimestampUs() + 1;
        short[] x = new short[EVENTS];
        short[] y = new short[EVENTS];
        byte[] p = new byte[EVENTS];
        long[] t = new long[EVENTS];
        int n = 0;
        outer:
        for (int round = 0; ; round++) {
            for (EventPacket pk : recording) {
                for (int i = 0; i < pk.size(); i++) {
                    if (n == EVENTS) {
                        break outer;
                    }
                    x[n] = (short) pk.x(i);
                    y[n] = (short) pk.y(i);
                    p[n] = (byte) pk.polarity(i);
                    t[n] = round * recordingSpan + pk.timestampUs(i);
                    n++;
                }
            }
        }
        span = t[EVENTS - 1] - t[0] + 1;
        for (int from = 0; from < EVENTS; from += PACKET) {
            int to = from + PACKET;
            long[] packetTimes = Arrays.copyOfRange(t, from, to);
            times.add(packetTimes);
            packets.add(new EventPacket("bench", geometry, from / PACKET, PACKET, Arrays.copyOfRange(x, from, to),
                    Arrays.copyOfRange(y, from, to), Arrays.copyOfRange(p, from, to), packetTimes));
        }
        chain = FilterSpec.parse(filters).newChain(geometry);
    }

    @Setup(Level.Invocation)
    public void moveOn() {
        for (long[] t : times) {
            for (int i = 0; i < t.length; i++) {
                t[i] += span;
            }
        }
    }

    /** The filters, as {@code live} runs them: survivors selected, then read in place by the binner. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int select() {
        int kept = 0;
        for (EventPacket pk : packets) {
            kept += chain.select(pk);
        }
        return kept;
    }
}
