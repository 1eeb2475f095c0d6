package io.spikeflux.view;

import io.spikeflux.view.report.ConversionReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class ReportBrowserTest {

    /** Two methods as the evaluate/compare commands report them. */
    static List<Map<String, Object>> twoMethods() {
        return List.of(method("ann-p99.9", 0.8975, 0.9050, 2.9f), method("spike-norm", 0.8810, 0.9000, 3.4f));
    }

    static Map<String, Object> method(String name, double atEnd, double ann, float conv1Threshold) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "fmnist_lenet");
        m.put("method", name);
        m.put("reset", "subtract");
        m.put("input_coding", "poisson");
        m.put("initial_membrane_fraction", 0.0);
        m.put("timesteps", 64);
        m.put("samples", 200);
        m.put("ann_accuracy", ann);
        m.put("accuracy", Map.of("8", atEnd - 0.3, "16", atEnd - 0.1, "32", atEnd - 0.02, "64", atEnd));
        m.put("final_accuracy", atEnd);
        m.put("thresholds", Map.of("conv1", conv1Threshold, "conv2", 1.5f, "fc1", 0.7f, "fc2", 3.0f));
        m.put("spikes_per_neuron", Map.of("conv1", 3.3, "conv2", 1.1, "fc1", 1.4, "fc2", 2.4));
        m.put("synaptic_ops_per_image", 9_800_000.0);
        m.put("ann_macs_per_image", 1_218_048L);
        m.put("ops_ratio", 8.05);
        m.put("snn_energy_uj", 0.98);
        m.put("ann_energy_uj", 3.9);
        m.put("image_steps_per_s", 12000.0);
        m.put("calibration", Map.of("method", name, "samples", 256, "steps", 2500, "seed", 1, "dataset", "fmnist train"));
        return m;
    }

    @Test
    void theReportRendersEveryChartOfflineWithTheExpectedSeries() throws Exception {
        Path file = Path.of("target", "browser", "report.html").toAbsolutePath();
        Files.createDirectories(file.getParent());
        new ConversionReport("fmnist_lenet </script> & co", twoMethods()).write(file);
        String html = Files.readString(file);
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "the report must not load anything from the network");

        try (HeadlessChromium chrome = new HeadlessChromium(1280, 1800)) {
            chrome.goOffline();
            chrome.driver.get(file.toUri().toString());
            @SuppressWarnings("unchecked")
            Map<String, List<String>> series = (Map<String, List<String>>) chrome.script("""
                    const out = {};
                    for (const id of ['accuracy', 'spikes', 'thresholds', 'ops', 'energy']) {
                      const c = echarts.getInstanceByDom(document.getElementById(id));
                      out[id] = c ? c.getOption().series.map(s => s.name) : null;
                    }
                    return out;""");
            assertEquals(List.of("ann-p99.9", "spike-norm", "ANN (ann-p99.9)", "ANN (spike-norm)"), series.get("accuracy"));
            assertEquals(List.of("ann-p99.9", "spike-norm"), series.get("spikes"));
            assertEquals(List.of("ann-p99.9", "spike-norm"), series.get("thresholds"));
            assertEquals(List.of("SNN synaptic ops", "ANN MACs"), series.get("ops"));
            assertEquals(List.of("SNN", "ANN"), series.get("energy"));
            // the charts drew something: a canvas per chart, not blank
            Long painted = (Long) chrome.script("""
                    let n = 0;
                    for (const canvas of document.querySelectorAll('.chart canvas')) {
                      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                      for (let i = 3; i < d.length; i += 4 * 97) { if (d[i] > 0) { n++; break; } }
                    }
                    return n;""");
            assertEquals(5L, painted, "every chart painted its canvas");
            String table = chrome.driver.findElement(org.openqa.selenium.By.id("accuracy-table")).getText();
            assertTrue(table.contains("89.75%") && table.contains("88.10%"), table);
            assertTrue(chrome.driver.getTitle().contains("fmnist_lenet </script> & co"), chrome.driver.getTitle());
            assertEquals(List.of(), chrome.pageErrors());
            chrome.screenshot("report");
        }
    }
}
