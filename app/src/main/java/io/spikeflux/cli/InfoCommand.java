package io.spikeflux.cli;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.format.RecordingFormat;
import io.spikeflux.view.picture.RecordingPicture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe an event recording: format, sensor size, events, duration, rate, ON share.")
final class InfoCommand implements Runnable {

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--format", description = "Force a format instead of detecting it: nmnist, aedat2, aedat3, aedat4, evt2, evt3, dat.")
    RecordingFormat format;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the description as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Option(names = "--png", paramLabel = "FILE.png",
            description = "Also draw the recording: the ON/OFF events of one window (--from-ms, --window-ms) "
                    + "accumulated per pixel, above the event rate over the whole recording.")
    Path png;

    @Option(names = {"--from-ms", "--from"}, defaultValue = "0", paramLabel = "MS",
            description = "With --png: start of the window after the first event (default ${DEFAULT-VALUE}).")
    double fromMs;

    @Option(names = "--window-ms", defaultValue = "50", paramLabel = "MS",
            description = "With --png: length of the window (default ${DEFAULT-VALUE}).")
    double windowMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (fromMs < 0 || windowMs <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--from-ms must be >= 0 and --window-ms positive");
        }
        long start = System.nanoTime();
        Recording r = Recording.open(file, format);
        long events = 0;
        long on = 0;
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        long packets = 0;
        RecordingPicture picture = png == null ? null
                : new RecordingPicture(r.geometry(), Math.round(fromMs * 1000), Math.max(1, Math.round(windowMs * 1000)));
        for (EventPacket p : r.events().toIterable()) {
            if (picture != null) {
                picture.accept(p);
            }
            if (p.size() == 0) {
                continue;
            }
            packets++;
            if (first == Long.MIN_VALUE) {
                first = p.firstTimestampUs();
            }
            last = p.lastTimestampUs();
            events += p.size();
            for (int i = 0; i < p.size(); i++) {
                on += p.polarity(i);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double duration = events == 0 ? 0 : (last - first) / 1e6;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("format", r.format().title());
        m.put("width", r.geometry().width());
        m.put("height", r.geometry().height());
        m.put("events", events);
        m.put("on_events", on);
        m.put("on_share", events == 0 ? 0 : (double) on / events);
        m.put("first_timestamp_us", events == 0 ? null : first);
        m.put("last_timestamp_us", events == 0 ? null : last);
        m.put("duration_s", duration);
        m.put("event_rate_per_s", duration > 0 ? events / duration : 0);
        m.put("packets", packets);
        m.put("decode_s", seconds);
        if (json != null) {
            json.write(m);
        }
        java.io.PrintStream out = JsonTarget.text(json);
        out.printf("file       %s%nformat     %s%nsensor     %dx%d%nevents     %,d (%,d ON, %.1f%%)%n", file,
                r.format().title(), r.geometry().width(), r.geometry().height(), events, on,
                events == 0 ? 0 : 100.0 * on / events);
        if (events > 0) {
            out.printf("time       %d .. %d µs (%.3f s)%nrate       %,.0f ev/s%n", first, last, duration,
                    duration > 0 ? events / duration : 0);
        }
        out.printf("decoded in %.3f s (%.1f Mev/s)%n", seconds, events / seconds / 1e6);
        if (picture != null) {
            picture.write(png, file.getFileName() + " (" + r.format().title() + ")");
            out.printf("picture    %s: %,d events in the window%s%n", png, picture.windowEvents(),
                    picture.outsideEvents() == 0 ? "" : String.format(" (%,d outside the sensor, not drawn)",
                            picture.outsideEvents()));
        }
    }
}
