package io.spikeflux.aer.udp;

import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannelConfig;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.udp.UdpServer;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

/**
 * Receives event datagrams on a Reactor Netty UDP server and publishes decoded packets. Each
 * datagram is decoded on the event loop into arrays of its packet (fresh, or recycled when the
 * options say so), so Netty's buffer is released as soon as the handler returns. Decoded packets
 * wait in a bounded queue; when a consumer is too slow the newest packets are dropped and counted
 * instead of growing memory. Nothing a sender sends can stop the receiver: malformed datagrams are
 * counted and dropped.
 */
public final class UdpEventReceiver implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(UdpEventReceiver.class);
    /** Sources silent this long are retired: their counters fold into the "retired sources" total. */
    static final Duration RETIRE_AFTER = Duration.ofSeconds(60);
    private static final Duration RETIRE_CHECK = Duration.ofSeconds(10);

    private final ReceiverOptions options;
    private final Sinks.Many<EventPacket> sink;
    private final EventDatagramDecoder decoder;
    private final Connection connection;
    private final int effectiveReceiveBuffer;

    private UdpEventReceiver(ReceiverOptions options) {
        this.options = options;
        this.sink = options.recyclePackets()
                // recycled packets have one reader: a second subscriber is refused rather than
                // handed arrays the first one gives back
                ? Sinks.many().unicast().onBackpressureBuffer(Queues.<EventPacket>get(options.queuePackets()).get())
                : Sinks.many().multicast().onBackpressureBuffer(options.queuePackets(), false);
        this.decoder = new EventDatagramDecoder(options);
        this.connection = UdpServer.create()
                .host(options.host())
                .port(options.port())
                .option(ChannelOption.SO_RCVBUF, options.receiveBufferBytes())
                // Netty's default 2 KiB datagram buffer would truncate jAER's 63 kB datagrams;
                // one byte more than the maximum tells oversize datagrams apart.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(options.maxDatagramBytes() + 1))
                // the decoder sits before Reactor's bridge: what reaches the bridge are event packets
                .doOnChannelInit((observer, channel, address) -> {
                    channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, "spikeflux-event-decoder", decoder);
                    // free the state of senders gone silent (a camera that restarts on a new port
                    // each time would otherwise add a source for good); on the decoder's own loop
                    var retire = channel.eventLoop().scheduleAtFixedRate(
                            () -> decoder.retireIdle(System.nanoTime(), RETIRE_AFTER.toNanos()),
                            RETIRE_CHECK.toMillis(), RETIRE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                    channel.closeFuture().addListener(f -> retire.cancel(false));
                })
                .handle((in, out) -> in.receiveObject()
                        .doOnNext(o -> {
                            if (o instanceof EventPacket p) {
                                decoder.delivered(p, sink.tryEmitNext(p).isSuccess());
                            }
                        })
                        .then())
                .bindNow(Duration.ofSeconds(10));
        DatagramChannelConfig config = (DatagramChannelConfig) connection.channel().config();
        this.effectiveReceiveBuffer = config.getReceiveBufferSize();
        LOG.debug("listening for {} on {} (kernel receive buffer {} bytes, requested {})", options.protocol(),
                address(), effectiveReceiveBuffer, options.receiveBufferBytes());
    }

    public static UdpEventReceiver start(ReceiverOptions options) {
        return new UdpEventReceiver(options);
    }

    /**
     * Decoded packets of all sources, in arrival order per source. A receiver that recycles its
     * packets has one subscriber, which releases each packet when done with it.
     */
    public Flux<EventPacket> packets() {
        return sink.asFlux();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) connection.channel().localAddress();
    }

    /** SO_RCVBUF as the kernel granted it (Linux doubles the request and caps it at rmem_max). */
    public int effectiveReceiveBufferBytes() {
        return effectiveReceiveBuffer;
    }

    public List<SensorCounters> counters() {
        return decoder.counters();
    }

    /** The arrays decoded packets borrow, or null when this receiver does not recycle them. */
    PacketArrayPool arrays() {
        return decoder.arrays();
    }

    /** Datagrams from sources outside the allow-list. */
    public long rejected() {
        return decoder.rejected();
    }

    /**
     * Rejected datagrams per sender address, sorted by address; only the first 256 addresses seen
     * are kept apart (the rest count in {@link #rejected()} alone), so a scan cannot grow it.
     */
    public Map<String, Long> rejectedBySource() {
        return decoder.rejectedBySource();
    }

    /**
     * The live count of one address of {@link #rejectedBySource()}, read without copying the
     * map (a metrics scrape reads one per address); 0 while the address has none, or if it is not
     * among those kept apart.
     */
    public java.util.function.LongSupplier rejectedFrom(String address) {
        return decoder.rejectedFrom(address);
    }

    @Override
    public void close() {
        connection.disposeNow(Duration.ofSeconds(5));
        sink.tryEmitComplete();
    }
}
