package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver's codec handler: turns each datagram into an {@link EventPacket} for the
 * protocol's {@link DatagramCodec} and keeps the accounting per source: allow-list, size limit,
 * malformed content, sequence numbers (loss, reordering, duplicates, late datagrams). Rejected,
 * malformed, duplicate and late datagrams produce nothing and are counted. Netty releases each
 * datagram's buffer when {@code decode} returns; packets own fresh arrays, or recycled ones that
 * their consumer releases. One instance per
 * channel (it keeps per-source state and runs on the channel's event loop).
 */
final class EventDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /**
     * Free arrays kept per capacity: enough for the packets between the event loop and an engine
     * that keeps up, and at most ~13 MB for jAER's sizes after a flood (beyond it, the collector).
     */
    private static final int FREE_ARRAYS_PER_SIZE = 64;

    private final ReceiverOptions options;
    private final DatagramCodec codec;
    private final long startNanos = System.nanoTime();
    /** Sources by name: read by anyone (counters), written on the event loop. */
    private final Map<String, SourceState> sources = new ConcurrentHashMap<>();
    /** Sources by sender address, so a sender's {@code ip:port} name is made once; event loop only. */
    private final Map<InetSocketAddress, SourceState> byAddress = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    /** Rejected datagrams by sender address, for the first {@value #MAX_REJECTED_SOURCES} addresses (a scan must not grow it). */
    private final Map<String, AtomicLong> rejectedBySource = new ConcurrentHashMap<>();
    private static final int MAX_REJECTED_SOURCES = 256;
    /**
     * The counters of retired sources, summed, so totals stay exact while the per-source state of
     * senders that went away (a camera restarting on a new port each time) is freed.
     */
    private final SensorCounters retired = new SensorCounters("retired sources");
    private final AtomicLong retiredSources = new AtomicLong();
    /** Arrays that decoded packets borrow, when the consumer gives them back; else null. */
    private final PacketArrayPool arrays;

    EventDatagramDecoder(ReceiverOptions options) {
        super(DatagramPacket.class);
        this.options = options;
        this.codec = options.protocol().codec();
        this.arrays = options.recyclePackets() && codec.decodesIntoPooledArrays()
                ? new PacketArrayPool(codec.maxEvents(options.maxDatagramBytes()), FREE_ARRAYS_PER_SIZE)
                : null;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket dp, List<Object> out) {
        EventPacket p = decode(dp.sender(), dp.content(), System.nanoTime());
        if (p != null) {
            out.add(p);
        }
    }

    /** The packet a datagram carries, or null when it is rejected, malformed, duplicate or late (counted). */
    EventPacket decode(InetSocketAddress from, ByteBuf content, long arrival) {
        if (!options.allowedSources().isEmpty() && !options.allowedSources().contains(from.getAddress())) {
            SensorCounters.add(rejected, 1);
            String address = from.getAddress().getHostAddress();
            AtomicLong perSource = rejectedBySource.get(address);
            if (perSource == null && rejectedBySource.size() < MAX_REJECTED_SOURCES) {
                perSource = rejectedBySource.computeIfAbsent(address, a -> new AtomicLong());
            }
            if (perSource != null) {
                SensorCounters.add(perSource, 1);
            }
            return null;
        }
        int length = content.readableBytes();
        SourceState sender = source(from);
        sender.lastSeenNanos = arrival;
        EventPacket packet;
        try {
            if (length > options.maxDatagramBytes()) {
                throw new MalformedDatagramException("datagram larger than " + options.maxDatagramBytes() + " bytes");
            }
            packet = codec.decode(content, sender, (arrival - startNanos) / 1000, arrival, arrays);
        } catch (RuntimeException e) {
            SensorCounters c = sender.counters;
            SensorCounters.add(c.datagrams, 1);
            SensorCounters.add(c.bytes, length);
            SensorCounters.add(c.malformed, 1);
            c.lastError = e.getMessage();
            return null;
        }
        SourceState state = codec.namesSensor() ? source(packet.sensorId()) : sender;
        state.lastSeenNanos = arrival;
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
                packet.release();
                return null;
            }
            if (verdict == SequenceTracker.Verdict.LATE) {
                packet.release();
                return null;
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
        return packet;
    }

    /** Counts what became of a decoded packet downstream: delivered, or dropped at a full queue (and released). */
    void delivered(EventPacket p, boolean accepted) {
        SourceState state = sources.get(p.sensorId());
        if (state != null) {
            if (accepted) {
                SensorCounters.add(state.counters.delivered, 1);
            } else {
                SensorCounters.add(state.counters.droppedDatagrams, 1);
                SensorCounters.add(state.counters.droppedEvents, p.size());
            }
        }
        if (!accepted) {
            p.release();
        }
    }

    /** The pool decoded packets borrow their arrays from, or null when the receiver does not recycle. */
    PacketArrayPool arrays() {
        return arrays;
    }

    private SourceState source(String id) {
        return sources.computeIfAbsent(id, k -> new SourceState(k, options.geometry(), options.layout(), new SensorCounters(k)));
    }

    private SourceState source(InetSocketAddress from) {
        SourceState s = byAddress.get(from);
        if (s == null) {
            String ip = from.getAddress().getHostAddress();
            SourceTable.Entry known = options.sources().lookup(ip, from.getPort());
            s = known == null ? source(ip + ":" + from.getPort())
                    : sources.computeIfAbsent(known.name(), k -> new SourceState(k, known.geometry(),
                    AddressLayout.forGeometry(known.geometry()), new SensorCounters(k)));
            byAddress.put(from, s);
        }
        return s;
    }

    List<SensorCounters> counters() {
        List<SensorCounters> all = new ArrayList<>();
        sources.values().forEach(s -> all.add(s.counters));
        all.sort(java.util.Comparator.comparing(SensorCounters::sensorId));
        if (retiredSources.get() > 0) {
            all.add(retired);
        }
        return all;
    }

    /**
     * Frees the state of sources silent for {@code idleNanos}, folding their counters into the
     * retired total. A retired source that sends again starts over, like a restarted camera.
     * Runs on the event loop.
     */
    void retireIdle(long nowNanos, long idleNanos) {
        for (var it = sources.values().iterator(); it.hasNext(); ) {
            SourceState s = it.next();
            if (nowNanos - s.lastSeenNanos >= idleNanos) {
                it.remove();
                byAddress.values().removeIf(v -> v == s);
                retired.absorb(s.counters);
                retiredSources.incrementAndGet();
            }
        }
    }

    long retiredSources() {
        return retiredSources.get();
    }

    long rejected() {
        return rejected.get();
    }

    Map<String, Long> rejectedBySource() {
        Map<String, Long> out = new java.util.TreeMap<>();
        rejectedBySource.forEach((a, n) -> out.put(a, n.get()));
        return out;
    }

    java.util.function.LongSupplier rejectedFrom(String address) {
        // looked up at each read: the address may be kept apart only after this is asked for
        return () -> {
            AtomicLong n = rejectedBySource.get(address);
            return n == null ? 0L : n.get();
        };
    }
}
