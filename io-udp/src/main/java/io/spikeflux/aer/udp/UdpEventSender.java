package io.spikeflux.aer.udp;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends event packets as numbered datagrams, paced by their timestamps in real time (or a multiple
 * of it). A datagram holds at most {@code eventsPerDatagram} events of one aligned slot of
 * {@code flushUs} sensor time, and leaves when its last event is due: latency stays below
 * {@code flushUs} at any event rate, and with the slot equal to the receiver's time step a step's
 * events travel together. Blocking; run it on its own thread.
 */
public final class UdpEventSender implements AutoCloseable {

    /**
     * Events a paced send encodes before it starts its clock (4 to 16 bytes each on the wire):
     * a whole short recording, or the first second of a busy camera.
     */
    static final long PRE_ROLL_EVENTS = 4_000_000;

    private final InetSocketAddress target;
    private final DatagramCodec codec;
    private final int eventsPerDatagram;
    private final String sensorId;
    private final AddressLayout layout;
    private final DatagramChannel channel;
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(65_536);
    private final short[] xs;
    private final short[] ys;
    private final byte[] ps;
    private final long[] ts;
    private int staged;
    private SensorGeometry stagedGeometry;
    private long sequence;
    private long datagrams;
    private long events;
    private volatile long originWallNanos;
    private volatile long originSensorUs = Long.MIN_VALUE;
    private volatile double speed;
    /** The sensor-time slot of the staged events: [slotStart, slotEnd). */
    private long slotStart;
    private long slotEnd;
    /** Datagrams encoded before the clock started, in order; null when not paced. */
    private ArrayDeque<Encoded> ahead;
    private boolean encodingAhead;

    public UdpEventSender(InetSocketAddress target, WireProtocol protocol, int eventsPerDatagram, String sensorId,
                          AddressLayout layout) {
        this.target = target;
        this.codec = protocol.codec();
        this.eventsPerDatagram = Math.min(eventsPerDatagram, codec.maxEvents(65_000));
        if (this.eventsPerDatagram <= 0) {
            throw new IllegalArgumentException("events per datagram must be positive");
        }
        this.sensorId = sensorId;
        this.layout = layout;
        this.xs = new short[this.eventsPerDatagram];
        this.ys = new short[this.eventsPerDatagram];
        this.ps = new byte[this.eventsPerDatagram];
        this.ts = new long[this.eventsPerDatagram];
        try {
            this.channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket: " + e.getMessage(), e);
        }
    }

    /** The local port the datagrams leave from (receivers name jAER and SPIF sources by address and port). */
    public int localPort() {
        try {
            if (channel.getLocalAddress() == null) {
                channel.bind(null);
            }
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket: " + e.getMessage(), e);
        }
    }

    /** Largest datagram payload of the protocol in events. */
    public static int maxEventsPerDatagram(WireProtocol protocol, int bytes) {
        return protocol.codec().maxEvents(bytes);
    }

    /**
     * Sends all packets; returns when the last datagram has left.
     *
     * @param speed   1 = real time, 10 = ten times faster, 0 = as fast as possible
     * @param flushUs slot of sensor time a datagram may span (aligned to multiples of it)
     */
    public long send(Flux<EventPacket> packets, double speed, long flushUs) {
        // blocking by design (it paces with parkNanos): callers use sendAsync or a thread of their own
        this.speed = speed;
        Iterator<EventPacket> source = packets.toIterable().iterator();
        if (speed > 0) {
            // encode ahead before the clock starts: a JVM still compiling its decoders and this
            // loop may encode a burst slower than the camera recorded it (a Prophesee sample is
            // 10.8 Mev/s); the paced loop then only sends what is ready
            ahead = new ArrayDeque<>();
            encodingAhead = true;
            for (long read = 0; read < PRE_ROLL_EVENTS && source.hasNext(); ) {
                EventPacket p = source.next();
                stage(p, flushUs);
                read += p.size();
            }
            encodingAhead = false;
        }
        while (source.hasNext()) {
            stage(source.next(), flushUs);
        }
        if (staged > 0) {
            flush();
        }
        sendAhead();
        return datagrams;
    }

    /** Adds a packet's events to the staged datagram, flushing it whenever it is full or its slot ends. */
    private void stage(EventPacket p, long flushUs) {
        if (staged > 0 && !p.geometry().equals(stagedGeometry)) {
            flush();
        }
        for (int i = 0; i < p.size(); i++) {
            long t = p.timestampUs(i);
            if (staged > 0 && (staged == eventsPerDatagram || t < slotStart || t >= slotEnd)) {
                flush();
            }
            if (staged == 0) {
                slotStart = Math.floorDiv(t, flushUs) * flushUs;
                slotEnd = slotStart + flushUs;
                stagedGeometry = p.geometry();
            }
            xs[staged] = (short) p.x(i);
            ys[staged] = (short) p.y(i);
            ps[staged] = (byte) p.polarity(i);
            ts[staged] = t;
            staged++;
        }
    }

    /**
     * {@link #send} on a thread of its own, for reactive callers: the pacing sleeps never block a
     * non-blocking thread. Not {@link Schedulers#boundedElastic()}: a send blocks for the whole
     * replay while its recordings are read on that pool, so enough cameras at once would hold
     * every worker and wait for reads queued behind themselves. Emits the datagrams sent.
     */
    public Mono<Long> sendAsync(Flux<EventPacket> packets, double speed, long flushUs) {
        return Mono.defer(() -> {
            // a bounded-elastic scheduler of one thread: its thread may block, as the pacing does
            Scheduler thread = Schedulers.newBoundedElastic(1, 1, "spikeflux-camera-" + sensorId, 60, true);
            return Mono.fromCallable(() -> send(packets, speed, flushUs)).subscribeOn(thread)
                    .doFinally(s -> thread.dispose());
        });
    }

    /**
     * The {@link System#nanoTime()} at which a paced send has (or will have) sent its events up to
     * sensor time {@code sensorUs}: the camera's clock, for end-to-end latencies measured where the
     * decisions arrive. {@link Long#MIN_VALUE} before the first datagram or when not paced.
     */
    public long wallNanosAt(long sensorUs) {
        long origin = originSensorUs;
        if (origin == Long.MIN_VALUE || speed <= 0) {
            return Long.MIN_VALUE;
        }
        return originWallNanos + (long) ((sensorUs - origin) * 1000 / speed);
    }

    /**
     * The {@link System#nanoTime()} at which a paced send started its clock (after encoding ahead),
     * or {@link Long#MIN_VALUE} before the first datagram or when not paced.
     */
    public long clockStartNanos() {
        return originSensorUs == Long.MIN_VALUE || speed <= 0 ? Long.MIN_VALUE : originWallNanos;
    }

    /** Sends one datagram right away with an explicit sequence number (tests of loss and reordering). */
    public void sendRaw(EventPacket p, int from, int to, long seq) {
        codec.encode(p, from, to, seq, sensorId, layout, datagram);
        transmit(datagram);
    }

    private void flush() {
        long firstT = ts[0];
        long lastT = ts[staged - 1];
        EventPacket p = new EventPacket(sensorId, stagedGeometry, ++sequence, staged, xs, ys, ps, ts);
        codec.encode(p, 0, staged, sequence, sensorId, layout, datagram);
        if (encodingAhead) {
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
            copy.put(datagram.duplicate()).flip();
            ahead.add(new Encoded(copy, firstT, lastT, staged));
        } else {
            sendAhead();
            pace(firstT, lastT);
            transmit(datagram);
            events += staged;
        }
        staged = 0;
    }

    /** Sends the datagrams encoded ahead, each when it is due. */
    private void sendAhead() {
        if (ahead == null) {
            return;
        }
        for (Encoded d; (d = ahead.poll()) != null; ) {
            pace(d.firstT, d.lastT);
            transmit(d.bytes);
            events += d.events;
        }
    }

    /** Waits until the datagram whose last event is at sensor time {@code lastT} is due. */
    private void pace(long firstT, long lastT) {
        if (speed <= 0) {
            return;
        }
        if (originSensorUs == Long.MIN_VALUE) {
            originWallNanos = System.nanoTime();
            originSensorUs = firstT; // published second: a reader that sees it sees the wall time too
        }
        long due = originWallNanos + (long) ((lastT - originSensorUs) * 1000 / speed);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** A datagram encoded before the clock started. */
    private record Encoded(ByteBuffer bytes, long firstT, long lastT, int events) {
    }

    private void transmit(ByteBuffer bytes) {
        try {
            channel.send(bytes, target);
            datagrams++;
        } catch (IOException e) {
            throw new UncheckedIOException("send to " + target + " failed: " + e.getMessage(), e);
        }
    }

    public long datagramsSent() {
        return datagrams;
    }

    public long eventsSent() {
        return events;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing is buffered in a UDP socket we could still lose
        }
    }
}
