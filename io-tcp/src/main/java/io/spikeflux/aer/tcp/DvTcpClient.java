package io.spikeflux.aer.tcp;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.Aedat4StreamDecoder;
import reactor.core.publisher.Flux;
import reactor.netty.tcp.TcpClient;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of an AEDAT 4 network stream (iniVation DV's "Network output TCP server",
 * dv-processing's {@code NetworkWriter}): connects, decodes the stream as it arrives, and
 * reconnects with exponential back-off whenever the connection ends or the stream is not valid
 * (a bad header, an unknown compression, a truncated or oversized packet): that connection is
 * closed, the error counted and kept for the status line, and the next one tried. Nothing else
 * stops; cancelling the flux stops it.
 */
public final class DvTcpClient {

    private final String host;
    private final int port;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final int maxPacketBytes;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public DvTcpClient(String host, int port) {
        this(host, port, Duration.ofMillis(100), Duration.ofSeconds(5), 64 << 20);
    }

    public DvTcpClient(String host, int port, Duration firstBackoff, Duration maxBackoff, int maxPacketBytes) {
        this.host = host;
        this.port = port;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.maxPacketBytes = maxPacketBytes;
    }

    /**
     * The camera's events, across reconnections. Each connection gets a fresh decoder and its own
     * sensor id ({@code dv:HOST:PORT#N}): a camera that restarts starts its clock anew, so its
     * events must not be judged against the old stream's (the old pipeline is evicted when silent).
     */
    public Flux<EventPacket> packets() {
        Flux<EventPacket> oneConnection = Flux.defer(() -> {
            String sensorId = "dv:" + host + ":" + port + "#" + (connections.get() + 1);
            Aedat4StreamDecoder decoder = new Aedat4StreamDecoder(sensorId, 4096, maxPacketBytes);
            return TcpClient.create().host(host).port(port).connect()
                    .doOnNext(c -> connections.incrementAndGet())
                    .flatMapMany(conn -> conn.inbound().receive()
                            // decoded while the buffer is ours: Reactor Netty releases it after onNext
                            .map(buf -> {
                                bytes.addAndGet(buf.readableBytes());
                                return decoder.feed(buf.nioBuffer(), System.nanoTime());
                            })
                            // a stream that ends inside a header or packet was cut off: a failure
                            .concatWith(Flux.defer(() -> {
                                decoder.finish();
                                return Flux.empty();
                            }))
                            .doFinally(s -> conn.dispose()))
                    .flatMapIterable(list -> list)
                    .doOnNext(p -> events.addAndGet(p.size()));
        });
        return oneConnection
                // the server closed the stream (a camera restarting, DV stopping): connect again
                .repeatWhen(done -> done.delayElements(firstBackoff))
                // transient: a connection that delivered events starts the back-off from the first delay again
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstBackoff).maxBackoff(maxBackoff).transientErrors(true)
                        .doBeforeRetry(signal -> {
                            // the error first: whoever sees the count sees its error too
                            lastError.set(describe(signal.failure()));
                            failures.incrementAndGet();
                        }));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    public String address() {
        return host + ":" + port;
    }

    /** Connections made so far. */
    public long connections() {
        return connections.get();
    }

    /** Connections that ended in an error (refused, reset, a stream that is not valid). */
    public long failures() {
        return failures.get();
    }

    /** The latest error, or null. */
    public String lastError() {
        return lastError.get();
    }

    public long events() {
        return events.get();
    }

    public long bytes() {
        return bytes.get();
    }
}
