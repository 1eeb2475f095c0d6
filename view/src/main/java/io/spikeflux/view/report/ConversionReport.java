package io.spikeflux.view.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page about a conversion: accuracy against time step per method with the
 * ANN's accuracy, spikes per neuron per layer, synaptic operations against the ANN's MACs and the
 * energy estimate, thresholds per layer, and where each calibration came from.
 * <p>
 * The page carries its chart library (ECharts, from its webjar) and its data inline, so it opens
 * from a mail attachment or an air-gapped machine exactly as it was written.
 *
 * @param title   the page's heading, e.g. the model's name
 * @param methods one evaluation report per method, as the commands write them as JSON
 *                ({@code method}, {@code accuracy}, {@code ann_accuracy}, {@code spikes_per_neuron},
 *                {@code thresholds}, {@code synaptic_ops_per_image}, ...)
 */
public record ConversionReport(String title, List<Map<String, Object>> methods) {

    private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String ECHARTS_LICENSE = "META-INF/resources/webjars/echarts/5.3.1/LICENSE";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("/\\*@(ECHARTS_LICENSE|ECHARTS|REPORT_JS|DATA|TITLE)@\\*/");

    public ConversionReport {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one evaluated method");
        }
        methods = List.copyOf(methods);
    }

    /** The page as one string. */
    public String html() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("methods", methods);
        ClassLoader loader = ConversionReport.class.getClassLoader();
        Map<String, String> parts = Map.of(
                "ECHARTS_LICENSE", "/*\n" + resource(loader, ECHARTS_LICENSE).replace("*/", "* /") + "\n*/",
                "ECHARTS", inlineScript(resource(loader, ECHARTS)),
                "REPORT_JS", inlineScript(resource(loader, "io/spikeflux/view/report/report.js")),
                "DATA", "const REPORT = " + inlineScript(toJson(data)) + ";",
                "TITLE", escapeHtml(title));
        // one pass, so nothing inserted (a title, a method's name) is itself searched for placeholders
        Matcher m = PLACEHOLDER.matcher(resource(loader, "io/spikeflux/view/report/report.html"));
        StringBuilder page = new StringBuilder(1 << 21);
        while (m.find()) {
            m.appendReplacement(page, Matcher.quoteReplacement(parts.get(m.group(1))));
        }
        m.appendTail(page);
        return page.toString();
    }

    /** Writes the page, creating the folder if needed. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the report: " + e.getMessage(), e);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("report data cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A script's text may not contain its own end tag; "<\/" means the same inside strings. */
    private static String inlineScript(String js) {
        return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (the build packs it into the jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
