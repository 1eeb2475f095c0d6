package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.socket.DatagramPacket;
import io.spikeflux.aer.event.EventPacket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.udp.UdpServer;
import reactor.util.Logger;
import reactor.util.Loggers;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives event datagrams on a Reactor Netty UDP server and publishes decoded packets. Each
 * datagram is decoded on the event loop into fresh arrays, so Netty's buffer is released as soon
 * as the handler returns. Decoded packets wait in a bounded queue; when a consumer is too slow the
 * newest packets are dropped and counted instead of growing memory. Nothing a sender sends can
 * stop the receiver: malformed datagrams are counted and dropped.
 */
public final class UdpEventReceiver implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(UdpEventReceiver.class);

    private final ReceiverOptions options;
    private final DatagramCodec codec;
    private final Sinks.Many<EventPacket> sink;
    private final Map<String, SourceState> sources = new ConcurrentHashMap<>();
    /** Sources by sender address; touched by the event loop only. */
    private final Map<InetSocketAddress, SourceState> byAddress = new java.util.HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final Connection connection;
    private final int effectiveReceiveBuffer;

    private UdpEventReceiver(ReceiverOptions options) {
        this.options = options;
        this.codec = options.protocol().codec();
        this.sink = Sinks.many().multicast().onBackpressureBuffer(options.queuePackets(), false);
        this.connection = UdpServer.create()
                .host(options.host())
                .port(options.port())
                .option(ChannelOption.SO_RCVBUF, options.receiveBufferBytes())
                // Netty's default 2 KiB datagram buffer would truncate jAER's 63 kB datagrams;
                // one byte more than the maximum tells oversize datagrams apart.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(options.maxDatagramBytes() + 1))
                .handle((in, out) -> in.receiveObject()
                        .doOnNext(o -> {
                            if (o instanceof DatagramPacket dp) {
                                onDatagram(dp);
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

    /** Decoded packets of all sources, in arrival order per source. */
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
        List<SensorCounters> all = new ArrayList<>();
        sources.values().forEach(s -> all.add(s.counters));
        all.sort(java.util.Comparator.comparing(SensorCounters::sensorId));
        return all;
    }

    /** Datagrams from sources outside the allow-list. */
    public long rejected() {
        return rejected.get();
    }

    private SourceState source(String id) {
        return sources.computeIfAbsent(id, k -> new SourceState(k, options.geometry(), options.layout(), new SensorCounters(k)));
    }

    /** The source of a sender address; its {@code ip:port} name is made once, not per datagram. */
    private SourceState source(InetSocketAddress from) {
        SourceState s = byAddress.get(from);
        if (s == null) {
            s = source(from.getAddress().getHostAddress() + ":" + from.getPort());
            byAddress.put(from, s);
        }
        return s;
    }

    private void onDatagram(DatagramPacket dp) {
        InetSocketAddress from = dp.sender();
        if (!options.allowedSources().isEmpty() && !options.allowedSources().contains(from.getAddress())) {
            SensorCounters.add(rejected, 1);
            return;
        }
        ByteBuf content = dp.content();
        int length = content.readableBytes();
        SourceState sender = source(from);
        long arrival = System.nanoTime();
        EventPacket packet;
        try {
            if (length > options.maxDatagramBytes()) {
                throw new MalformedDatagramException("datagram larger than " + options.maxDatagramBytes() + " bytes");
            }
            packet = codec.decode(content, sender, (arrival - startNanos) / 1000).arrivedAt(arrival);
        } catch (RuntimeException e) {
            SensorCounters c = sender.counters;
            SensorCounters.add(c.datagrams, 1);
            SensorCounters.add(c.bytes, length);
            SensorCounters.add(c.malformed, 1);
            c.lastError = e.getMessage();
            return;
        }
        SourceState state = codec.namesSensor() ? source(packet.sensorId()) : sender;
        SensorCounters c = state.counters;
        SensorCounters.add(c.datagrams, 1);
        SensorCounters.add(c.bytes, length);
        if (codec.sequenced()) {
            SequenceTracker.Verdict verdict = state.sequence.accept(packet.sequence());
            c.lost.set(state.sequence.lost());
            c.reordered.set(state.sequence.reordered());
            c.late.set(state.sequence.late());
            c.resyncs.set(state.sequence.resyncs());
            if (verdict == SequenceTracker.Verdict.DUPLICATE) {
                SensorCounters.add(c.duplicated, 1);
                return;
            }
            if (verdict == SequenceTracker.Verdict.LATE) {
                return;
            }
        } else {
            packet = packet.withIdentity(state.sensorId, ++state.packets);
        }
        int n = packet.size();
        long on = 0;
        for (int i = 0; i < n; i++) {
            on += packet.polarity(i);
        }
        SensorCounters.add(c.events, n);
        SensorCounters.add(c.onEvents, on);
        if (sink.tryEmitNext(packet).isSuccess()) {
            SensorCounters.add(c.delivered, 1);
        } else {
            SensorCounters.add(c.droppedDatagrams, 1);
            SensorCounters.add(c.droppedEvents, n);
        }
    }

    @Override
    public void close() {
        connection.disposeNow(Duration.ofSeconds(5));
        sink.tryEmitComplete();
    }
}
