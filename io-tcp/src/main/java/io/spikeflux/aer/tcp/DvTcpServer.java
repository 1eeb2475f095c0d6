package io.spikeflux.aer.tcp;

import io.netty.buffer.Unpooled;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.Aedat4StreamEncoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Serves events the way DV's TCP output does: every client that connects gets the IOHeader at
 * once, then the packets of its own subscription to {@code events} (for a replaying camera: the
 * recordings from the start, paced in real time), uncompressed. Clients must not send anything.
 */
public final class DvTcpServer implements AutoCloseable {

    private final DisposableServer server;
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();

    private DvTcpServer(DisposableServer server) {
        this.server = server;
    }

    /**
     * @param port   0 for an ephemeral port (see {@link #address()})
     * @param events a fresh stream of the camera's packets for each client
     */
    public static DvTcpServer start(String host, int port, SensorGeometry geometry, String source,
                                    Supplier<Flux<EventPacket>> events) {
        DvTcpServer[] self = new DvTcpServer[1];
        DisposableServer s = TcpServer.create().host(host).port(port)
                .handle((in, out) -> {
                    self[0].clients.incrementAndGet();
                    Flux<io.netty.buffer.ByteBuf> stream = Flux.concat(
                            Mono.fromSupplier(() -> Unpooled.wrappedBuffer(Aedat4StreamEncoder.header(geometry, source))),
                            events.get().filter(p -> p.size() > 0).map(p -> {
                                self[0].eventsSent.addAndGet(p.size());
                                return Unpooled.wrappedBuffer(Aedat4StreamEncoder.packet(p));
                            }));
                    return out.send(stream).then();
                })
                .bindNow();
        self[0] = new DvTcpServer(s);
        return self[0];
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    public long clients() {
        return clients.get();
    }

    public long eventsSent() {
        return eventsSent.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
