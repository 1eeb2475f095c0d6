package io.spikeflux.view;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class LiveWebServerTest {

    private static EventPacket busyPacket(String sensor, int n) {
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) (i * 7 % 640);
            y[i] = (short) (i * 13 % 480);
            p[i] = (byte) (i & 1);
        }
        return new EventPacket(sensor, new SensorGeometry(640, 480), 0, n, x, y, p, t, 0);
    }

    @Test
    void aBrowserThatStopsReadingLosesFramesWhileAnotherKeepsGettingThem() throws Exception {
        try (LiveView view = new LiveView(List.of("a", "b"));
             LiveWebServer server = LiveWebServer.start(view, "127.0.0.1", 0)) {
            view.start();
            // a client that upgrades to a WebSocket and then never reads a byte
            try (Socket stalled = new Socket()) {
                // a small window, fixed before connecting, so the kernel does not buffer megabytes for it
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.address().getPort()));
                OutputStream out = stalled.getOutputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();

                AtomicInteger frames = new AtomicInteger();
                WebSocket reader = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                if (last) {
                                    frames.incrementAndGet();
                                }
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                ws.request(1);
                                return null;
                            }
                        }).join();
                long end = System.nanoTime() + 3_000_000_000L;
                var tap = view.packetTap();
                EventPacket a = busyPacket("cam-a", 20_000);
                EventPacket b = busyPacket("cam-b", 20_000);
                while (System.nanoTime() < end) {
                    tap.accept(a);
                    tap.accept(b);
                    Thread.sleep(5);
                }
                reader.abort();
                // two sensors at 25 frames/s for 3 s: the reading client got most of them
                assertTrue(frames.get() >= 80, "frames to the reading client: " + frames.get());
                assertTrue(view.droppedMessages() > 0, "the stalled client's frames are dropped, not queued");
            }
        }
    }

    @Test
    void healthAndMetricsAnswerAndTheRestIsNotFound() throws Exception {
        try (LiveView view = new LiveView(List.of("a"));
             LiveWebServer server = LiveWebServer.start(view, "127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            var health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode(), "no session yet: not healthy");
            assertEquals(503, http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(server.url() + "nothing")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            var page = http.send(HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("live.js"));
        }
    }

    @Test
    void aPortInUseIsNamed() {
        try (LiveView view = new LiveView(List.of("a"));
             LiveWebServer first = LiveWebServer.start(view, "127.0.0.1", 0)) {
            int port = first.address().getPort();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> LiveWebServer.start(view, "127.0.0.1", port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }
}
