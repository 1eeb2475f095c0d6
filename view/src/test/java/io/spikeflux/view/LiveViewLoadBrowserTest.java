package io.spikeflux.view;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page under the load the issue names: 16 HD sensors at 5 Mev/s in all, with a decision per
 * sensor every 10 ms. The page must keep drawing frames for every sensor and its main thread must
 * stay responsive (no long gaps between animation frames).
 */
@Timeout(120)
class LiveViewLoadBrowserTest {

    private static final int SENSORS = 16;
    private static final int EVENTS_PER_SECOND = 5_000_000;
    private static final int TICK_MS = 10;
    private static final int SECONDS = 5;

    @Test
    void sixteenSensorsAtFiveMillionEventsPerSecondKeepThePageResponsive() throws Exception {
        SensorGeometry hd = new SensorGeometry(1280, 720);
        List<String> classes = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        int perPacket = EVENTS_PER_SECOND / SENSORS / (1000 / TICK_MS);
        EventPacket[][] packets = new EventPacket[SENSORS][4];
        SplittableRandom r = new SplittableRandom(1);
        for (int s = 0; s < SENSORS; s++) {
            for (int k = 0; k < packets[s].length; k++) {
                short[] x = new short[perPacket];
                short[] y = new short[perPacket];
                byte[] p = new byte[perPacket];
                long[] t = new long[perPacket];
                for (int i = 0; i < perPacket; i++) {
                    x[i] = (short) r.nextInt(1280);
                    y[i] = (short) r.nextInt(720);
                    p[i] = (byte) r.nextInt(2);
                    t[i] = i;
                }
                packets[s][k] = new EventPacket("hd-" + (s < 10 ? "0" : "") + s, hd, k, perPacket, x, y, p, t, 0);
            }
        }
        try (LiveView view = new LiveView(classes);
             LiveWebServer server = LiveWebServer.start(view, "127.0.0.1", 0);
             HeadlessChromium chrome = new HeadlessChromium(1600, 1000)) {
            view.start();
            chrome.driver.get(server.url());
            LiveViewBrowserTest.waitFor("the page connected", () -> "live".equals(chrome.script(
                    "return document.getElementById('connection').textContent;")));
            var tap = view.packetTap();
            Thread feeder = new Thread(() -> {
                long next = System.nanoTime();
                long events = 0;
                for (int tick = 0; tick < SECONDS * 1000 / TICK_MS; tick++) {
                    for (int s = 0; s < SENSORS; s++) {
                        tap.accept(packets[s][tick % packets[s].length]);
                        events += perPacket;
                        int[] counts = new int[10];
                        counts[s % 10] = 8;
                        counts[(s + tick / 50) % 10] += 4;
                        view.decision(new Classification("hd-" + (s < 10 ? "0" : "") + s, tick * 10_000L,
                                tick * 10_000L + 100_000, counts, s % 10, Integer.toString(s % 10), 0.67, 1.0, false, s % 10));
                    }
                    next += TICK_MS * 1_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            });
            feeder.start();
            Thread.sleep(1500);
            // from here on, measure: animation-frame gaps (the main thread's responsiveness) and frames drawn
            chrome.script("""
                    window.__gaps = []; window.__drawnAtStart = window.spikeflux.framesDrawn;
                    window.__statesAtStart = window.spikeflux.states; window.__t0 = performance.now();
                    let last = performance.now();
                    const loop = now => { window.__gaps.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(loop); };
                    requestAnimationFrame(loop);""");
            Thread.sleep(3000);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) chrome.script("""
                    window.__stop = true;
                    const g = window.__gaps.slice().sort((a, b) => a - b);
                    const seconds = (performance.now() - window.__t0) / 1000;
                    return { cards: document.querySelectorAll('section.sensor').length,
                             p99gap: g[Math.floor(0.99 * (g.length - 1))], maxgap: g[g.length - 1],
                             framesPerSensorPerS: (window.spikeflux.framesDrawn - window.__drawnAtStart) / 16 / seconds,
                             statesPerS: (window.spikeflux.states - window.__statesAtStart) / seconds };""");
            feeder.join();
            chrome.screenshot("live-16-sensors");
            System.out.printf("16 sensors, 5 Mev/s: %s, messages the page missed %d%n", m, view.droppedMessages());
            assertEquals(SENSORS, ((Number) m.get("cards")).intValue());
            assertTrue(((Number) m.get("p99gap")).doubleValue() < 150, "animation frames keep coming: " + m);
            assertTrue(((Number) m.get("framesPerSensorPerS")).doubleValue() >= 20, "20 frames per second or more are drawn: " + m);
            assertTrue(((Number) m.get("statesPerS")).doubleValue() >= 5, "states keep arriving: " + m);
            assertEquals(List.of(), chrome.pageErrors());
        }
    }
}
