package io.spikeflux.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code demo --http PORT} as a user starts it: the page, /health and /metrics answer on loopback while it runs. */
@Timeout(120)
class WebViewCommandTest {

    @Test
    void demoServesThePageHealthAndMetricsWhileItClassifies() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // the bundled model and recordings are found from spikeflux.home, as ./spikeflux sets it
        String home = System.getProperty("spikeflux.home");
        System.setProperty("spikeflux.home", "..");
        try {
            run(port);
        } finally {
            if (home == null) {
                System.clearProperty("spikeflux.home");
            } else {
                System.setProperty("spikeflux.home", home);
            }
        }
    }

    private static void run(int port) throws Exception {
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> SpikeFlux.commandLine().execute(
                "demo", "--http", Integer.toString(port), "--http-linger-s", "3", "--recordings", "4", "--quiet",
                "--filter", "refractory:1ms"));
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port + "/";
        HttpResponse<String> health = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && !demo.isDone()) {
            try {
                health = http.send(HttpRequest.newBuilder(URI.create(base + "health")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && !health.body().contains("\"decisions\":0")) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // the server starts after the model has loaded
            }
            Thread.sleep(200);
        }
        if (health == null) {
            fail("demo --http never answered on " + base + (demo.isDone() ? "; demo ended with exit code " + demo.join() : ""));
        }
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        String page = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<title>SpikeFlux live</title>") && page.contains("live.js"), page);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("spikeflux_decisions_total{sensor=") && metrics.contains("spikeflux_received_datagrams_total"),
                "per-sensor meters in /metrics");
        assertTrue(metrics.contains("spikeflux_filter_removed_events_total{filter=\"refractory\"}"),
                "each noise filter's removed events in /metrics");
        assertEquals(0, demo.get(), "demo's exit code");
    }
}
