package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The receiver's work per jAER datagram, without sockets: source lookup, decoding, sequence
 * accounting and counters ({@link EventDatagramDecoder#decode}). In this package because the
 * decoder is internal to the receiver. {@code -prof gc} shows the bytes per datagram: a packet of
 * its own arrays, which grow with the events per datagram, or one over recycled arrays that the
 * consumer (here the benchmark, in a live session the engine) releases.
 */
@State(Scope.Thread)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JaerDecodeBenchmark {

    /** Events per datagram: an MTU-sized datagram, and jAER's largest. */
    @Param({"183", "7874"})
    public int events;

    @Param({"false", "true"})
    public boolean recycled;

    private final InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40000);
    private EventDatagramDecoder decoder;
    private ByteBuf datagram;
    private int sequence;

    @Setup
    public void setup() {
        SensorGeometry g = new SensorGeometry(346, 260);
        ReceiverOptions options = ReceiverOptions.defaults(WireProtocol.JAER, g);
        decoder = new EventDatagramDecoder(recycled ? options.withRecycledPackets() : options);
        AddressLayout layout = AddressLayout.forGeometry(g);
        SplittableRandom random = new SplittableRandom(1);
        datagram = Unpooled.buffer(4 + 8 * events);
        datagram.writeInt(0);
        for (int i = 0; i < events; i++) {
            datagram.writeInt(layout.encode(random.nextInt(g.width()), random.nextInt(g.height()), random.nextInt(2), g));
            datagram.writeInt(i);
        }
    }

    @TearDown
    public void tearDown() {
        datagram.release();
    }

    @Benchmark
    public long decode() {
        // a new sequence number each time, as a camera sends: a repeated one would be a duplicate
        datagram.setInt(0, ++sequence);
        EventPacket p = decoder.decode(from, datagram, sequence);
        long last = p.lastTimestampUs();
        p.release();
        return last;
    }
}
