package io.spikeflux.view.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live web view over HTTP (Reactor Netty): the page at {@code /}, its frames and states on the
 * WebSocket {@code /ws}, Prometheus metrics at {@code /metrics} and {@code /health}. Bound to
 * loopback unless told otherwise: the view shows what the cameras see.
 */
public final class LiveWebServer implements AutoCloseable {

    private static final String PAGES = "io/spikeflux/view/web/";
    private static final int SEND_BUFFER_BYTES = 256 * 1024;
    private static final com.fasterxml.jackson.databind.ObjectMapper HEALTH_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final DisposableServer server;

    private LiveWebServer(DisposableServer server) {
        this.server = server;
    }

    /**
     * Starts serving the view.
     *
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static LiveWebServer start(LiveView view, String host, int port) {
        byte[] index = page("index.html");
        byte[] script = page("live.js");
        byte[] style = page("live.css");
        try {
            DisposableServer server = HttpServer.create()
                    .host(host)
                    .port(port)
                    // a fixed, small socket buffer: what a slow browser has not read yet is a
                    // fraction of a second of frames, not the megabytes an auto-tuned buffer holds
                    .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                    .route(routes -> routes
                            .get("/", (req, res) -> send(res, "text/html; charset=utf-8", index))
                            .get("/index.html", (req, res) -> send(res, "text/html; charset=utf-8", index))
                            .get("/live.js", (req, res) -> send(res, "text/javascript; charset=utf-8", script))
                            .get("/live.css", (req, res) -> send(res, "text/css; charset=utf-8", style))
                            .get("/metrics", (req, res) -> view.metrics() == null ? res.status(503).send()
                                    : send(res, "text/plain; version=0.0.4; charset=utf-8",
                                    view.metrics().scrape().getBytes(StandardCharsets.UTF_8)))
                            .get("/health", (req, res) -> health(view, res))
                            .ws("/ws", (in, out) -> {
                                AtomicReference<Channel> channel = new AtomicReference<>();
                                out.withConnection(c -> channel.set(c.channel()));
                                // a frame is only written while the socket takes it; otherwise it is
                                // dropped (counted), never queued behind a slow browser
                                var messages = view.messages()
                                        .filter(m -> {
                                            Channel ch = channel.get();
                                            if (ch != null && ch.isWritable()) {
                                                return true;
                                            }
                                            view.missed();
                                            return false;
                                        })
                                        .onBackpressureDrop(m -> view.missed())
                                        .map(LiveWebServer::frame);
                                return Mono.when(in.receive().then(), out.sendObject(messages).then());
                            }, WebsocketServerSpec.builder().maxFramePayloadLength(65536).build()))
                    .bindNow();
            return new LiveWebServer(server);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve the web view on " + host + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private static WebSocketFrame frame(LiveView.ViewMessage m) {
        return m.binary() != null ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(m.binary()))
                : new TextWebSocketFrame(m.text());
    }

    private static Mono<Void> health(LiveView view, HttpServerResponse res) {
        var session = view.session();
        Map<String, Object> h = new LinkedHashMap<>();
        boolean up = session != null && session.failure() == null;
        h.put("status", up ? "UP" : "DOWN");
        if (session != null) {
            h.put("sensors", session.classifier().fleetCounters().active());
            h.put("decisions", session.classifications());
            if (session.failure() != null) {
                h.put("failure", session.failure().toString());
            }
        }
        String body;
        try {
            body = HEALTH_JSON.writeValueAsString(h);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return res.status(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(body)).then();
    }

    private static Mono<Void> send(HttpServerResponse res, String type, byte[] body) {
        return res.header(HttpHeaderNames.CONTENT_TYPE, type)
                .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .sendByteArray(Mono.just(body)).then();
    }

    private static byte[] page(String name) {
        try (InputStream in = LiveWebServer.class.getClassLoader().getResourceAsStream(PAGES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PAGES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    /** The page's address, for printing. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
        return "http://" + host + ":" + a.getPort() + "/";
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
