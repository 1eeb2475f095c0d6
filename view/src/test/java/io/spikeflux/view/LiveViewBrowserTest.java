package io.spikeflux.view;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.live.LiveSession;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The live page in a real browser while four cameras replay N-MNIST recordings into the engine. */
@Timeout(180)
class LiveViewBrowserTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int CAMERAS = 4;

    @Test
    void thePageShowsChangingFramesAndTheEnginesAnnouncedClassPerSensor() throws Exception {
        CalibratedModel model = CalibratedModel.load(ROOT.resolve("models/nmnist_cnn.snn"));
        SensorGeometry g = new SensorGeometry(34, 34);
        LiveView view = new LiveView(model.network().classNames());
        Map<String, Classification> engineLast = new ConcurrentHashMap<>();
        AtomicLong decisions = new AtomicLong();
        ReceiverOptions ro = ReceiverOptions.defaults(WireProtocol.PROTO, g).withPort(0);
        try (LiveSession session = new LiveSession(model, ro, new LiveOptions(model.dtUs(), 100, 10, 50),
                FleetOptions.defaults(), c -> {
                    engineLast.put(c.sensorId(), c);
                    decisions.incrementAndGet();
                    view.decision(c);
                }, view.packetTap());
             HeadlessChromium chrome = new HeadlessChromium(1280, 900)) {
            view.attach(session);
            try (LiveWebServer server = LiveWebServer.start(view, "127.0.0.1", 0)) {
                chrome.driver.get(server.url());
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", session.receiver().address().getPort());
                List<UdpEventSender> senders = new ArrayList<>();
                List<Mono<Long>> sends = new ArrayList<>();
                for (int i = 0; i < CAMERAS; i++) {
                    // each camera replays other recordings, so their classes differ
                    var recordings = LabelledRecordings.list(ROOT.resolve("data/nmnist-emu"), 40).subList(i * 6, i * 6 + 6);
                    UdpEventSender s = new UdpEventSender(target, WireProtocol.PROTO, 256, "cam-" + i,
                            AddressLayout.forGeometry(g));
                    senders.add(s);
                    sends.add(s.sendAsync(new ReplayCamera(recordings, 50_000).events(), 1.0, model.dtUs()));
                }
                var replay = Mono.when(sends).toFuture();

                waitFor("a card per camera", () -> chrome.driver.findElements(By.cssSelector("section.sensor")).size() == CAMERAS);
                // a frame shows the events of its 40 ms: one drawn in a gap between two recordings
                // is dark, so the page is watched for the rest of the replay, not read once
                String before = frameOf(chrome, "cam-0");
                String after = before;
                long lit = 0;
                while (!replay.isDone() && (lit == 0 || after.equals(before))) {
                    Thread.sleep(50);
                    after = frameOf(chrome, "cam-0");
                    lit = Math.max(lit, (Long) chrome.script("""
                            const c = document.querySelector('section.sensor[data-sensor="cam-0"] canvas.frame');
                            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                            let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 0) n++;
                            return n;"""));
                }
                assertNotEquals(before, after, "the event frame changes while the replay runs");
                assertTrue(lit > 0, "a frame shows events while the replay runs");
                chrome.screenshot("live-running");

                replay.get();
                senders.forEach(UdpEventSender::close);
                // the engine has made its last decisions when their count stops growing
                long seen = -1;
                while (seen != decisions.get()) {
                    seen = decisions.get();
                    Thread.sleep(600);
                }
                assertEquals(CAMERAS, engineLast.size());
                waitFor("the page shows the engine's last announced class of every camera", () -> {
                    for (var e : engineLast.entrySet()) {
                        String shown = (String) chrome.script("return document.querySelector("
                                + "'section.sensor[data-sensor=\"" + e.getKey() + "\"] .announced').dataset.class;");
                        if (!String.valueOf(e.getValue().topClass()).equals(shown)) {
                            return false;
                        }
                    }
                    return true;
                });
                for (var e : engineLast.entrySet()) {
                    // read in one script: the page rewrites the element with every state
                    String text = (String) chrome.script("return document.querySelector("
                            + "'section.sensor[data-sensor=\"" + e.getKey() + "\"] .announced .class-name').textContent;");
                    int cls = e.getValue().topClass();
                    assertEquals(cls < 0 ? "-" : model.network().classNames().get(cls), text);
                }
                String counters = (String) chrome.script(
                        "return document.querySelector('section.sensor[data-sensor=\"cam-0\"] .counters').textContent;");
                assertTrue(counters.contains("lost 0") && counters.contains("malformed 0"), counters);

                // the strip's newest column is drawn in the announced class's colour, the colour of its bar
                @SuppressWarnings("unchecked")
                List<String> colours = (List<String>) chrome.script("""
                        const s = document.querySelector('section.sensor[data-sensor="cam-0"]');
                        const k = Number(s.querySelector('.announced').dataset.class);
                        const t = s.querySelector('canvas.timeline');
                        const d = t.getContext('2d').getImageData(t.width - 1, 0, 1, 1).data;
                        const bar = s.querySelectorAll('.bars .bar div')[k];
                        return ['rgb(' + d[0] + ', ' + d[1] + ', ' + d[2] + ')', getComputedStyle(bar).backgroundColor];""");
                assertEquals(colours.get(1), colours.get(0), "the timeline shows the announced class in its bar's colour");

                HttpClient http = HttpClient.newHttpClient();
                var health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"status\":\"UP\"") && health.body().contains("\"decisions\":" + decisions.get()),
                        health.body());

                String metrics = http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                long perSensor = 0;
                for (int i = 0; i < CAMERAS; i++) {
                    perSensor += metricValue(metrics, "spikeflux_decisions_total{sensor=\"cam-" + i + "\"}");
                }
                assertEquals(decisions.get(), perSensor, "/metrics counts every decision per sensor");
                assertTrue(metrics.contains("jvm_memory_used_bytes"), "the JVM's metrics are there too");
                assertTrue(metrics.contains("spikeflux_decision_latency_seconds_bucket{sensor=\"cam-0\""), "latency histogram");
                for (int i = 0; i < CAMERAS; i++) {
                    String sensor = "{sensor=\"cam-" + i + "\"}";
                    long datagrams = metricValue(metrics, "spikeflux_received_datagrams_total" + sensor);
                    assertTrue(datagrams > 0, "datagrams of cam-" + i);
                    assertTrue(metricValue(metrics, "spikeflux_received_events_total" + sensor) > datagrams);
                    assertEquals(0, metricValue(metrics, "spikeflux_lost_datagrams_total" + sensor));
                    assertEquals(0, metricValue(metrics, "spikeflux_malformed_datagrams_total" + sensor));
                    assertEquals(0, metricValue(metrics, "spikeflux_dropped_datagrams_total" + sensor));
                    double lagS = metricDouble(metrics, "spikeflux_engine_lag_seconds" + sensor);
                    assertTrue(lagS > 0 && lagS < 1, "engine lag of cam-" + i + ": " + lagS + " s");
                }

                assertEquals(List.of(), chrome.pageErrors(), "the page ran without errors");
                chrome.screenshot("live-final");
            }
        } finally {
            view.close();
        }
    }

    private static String frameOf(HeadlessChromium chrome, String sensor) {
        return (String) chrome.script("return document.querySelector('section.sensor[data-sensor=\"" + sensor
                + "\"] canvas.frame').toDataURL();");
    }

    static long metricValue(String exposition, String series) {
        return (long) metricDouble(exposition, series);
    }

    static double metricDouble(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        fail("no series " + series + " in /metrics");
        return 0;
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
