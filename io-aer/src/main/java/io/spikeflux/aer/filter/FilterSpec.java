package io.spikeflux.aer.filter;

import io.spikeflux.aer.event.SensorGeometry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The noise filters a user asked for, in order, e.g. {@code background:2ms,refractory:1ms,hot-pixels}:
 * makes a {@link FilterChain} for each sensor (the filters keep per-pixel state) and counts what
 * each stage removed over all sensors.
 */
public final class FilterSpec {

    /** No filtering. */
    public static final FilterSpec NONE = new FilterSpec(List.of(), List.of());

    private final List<String> names;
    private final List<Function<SensorGeometry, EventFilter>> factories;
    private final LongAdder[] removed;

    private FilterSpec(List<String> names, List<Function<SensorGeometry, EventFilter>> factories) {
        this.names = List.copyOf(names);
        this.factories = List.copyOf(factories);
        this.removed = new LongAdder[names.size()];
        for (int i = 0; i < removed.length; i++) {
            removed[i] = new LongAdder();
        }
    }

    /**
     * Parses {@code background[:DT]}, {@code refractory[:PERIOD]}, {@code hot-pixels[:LEARN]} and
     * {@code hot-pixels:@FILE} (one {@code x,y} per line), separated by commas; times take
     * {@code us}, {@code ms} or {@code s} (defaults 2ms, 1ms, 1s).
     */
    public static FilterSpec parse(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("none")) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<Function<SensorGeometry, EventFilter>> factories = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            int colon = p.indexOf(':');
            String kind = colon < 0 ? p : p.substring(0, colon);
            String arg = colon < 0 ? null : part.strip().substring(colon + 1);
            switch (kind) {
                case "background", "ba" -> {
                    long dt = arg == null ? 2000 : micros(arg);
                    factories.add(g -> new BackgroundActivityFilter(g, dt));
                    names.add("background");
                }
                case "refractory" -> {
                    long period = arg == null ? 1000 : micros(arg);
                    factories.add(g -> new RefractoryFilter(g, period));
                    names.add("refractory");
                }
                case "hot-pixels", "hotpixels", "hot" -> {
                    if (arg != null && arg.startsWith("@")) {
                        List<int[]> pixels = readPixels(Path.of(arg.substring(1)));
                        factories.add(g -> new HotPixelFilter(g, pixels));
                    } else {
                        long learn = arg == null ? 1_000_000 : micros(arg);
                        factories.add(g -> new HotPixelFilter(g, learn));
                    }
                    names.add("hot-pixels");
                }
                default -> throw new IllegalArgumentException("unknown filter '" + part.strip()
                        + "'; use background[:2ms], refractory[:1ms], hot-pixels[:1s] or hot-pixels:@FILE");
            }
        }
        return new FilterSpec(names, factories);
    }

    private static long micros(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("us")) {
                return Long.parseLong(t.substring(0, t.length() - 2).strip());
            }
            if (t.endsWith("ms")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 2).strip()) * 1000);
            }
            if (t.endsWith("s")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1).strip()) * 1_000_000);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not a time such as 500us, 2ms or 1s");
    }

    private static List<int[]> readPixels(Path file) {
        List<int[]> pixels = new ArrayList<>();
        try {
            int line = 0;
            for (String l : Files.readAllLines(file)) {
                line++;
                String s = l.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                String[] xy = s.split("[,\\s]+");
                try {
                    pixels.add(new int[]{Integer.parseInt(xy[0]), Integer.parseInt(xy[1])});
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ": line " + line + ": expected x,y");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read hot pixel list: " + e.getMessage(), e);
        }
        return pixels;
    }

    /** The same filters with counters of their own (e.g. for a warm-up run that must not count). */
    public FilterSpec withFreshCounters() {
        return isEmpty() ? this : new FilterSpec(names, factories);
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    public List<String> names() {
        return names;
    }

    /** A chain with fresh state for one sensor. */
    public FilterChain newChain(SensorGeometry g) {
        EventFilter[] filters = new EventFilter[factories.size()];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = factories.get(i).apply(g);
        }
        return new FilterChain(filters, removed);
    }

    /** Events removed by stage {@code i}, over all sensors so far. */
    public long removed(int i) {
        return removed[i].sum();
    }

    /** What each filter removed so far, by name, in the chain's order. */
    public java.util.Map<String, Long> removedByName() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), removed(i));
        }
        return out;
    }

    /** What each filter removed so far, for status lines: {@code background 1,234, refractory 56}. */
    public String removedSummary() {
        StringBuilder b = new StringBuilder();
        removedByName().forEach((name, n) -> b.append(b.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format("%,d", n)));
        return b.toString();
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : String.join(",", names);
    }
}
