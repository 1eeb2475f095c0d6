package io.spikeflux.cli;

import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.camera.Camera;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.camera.ScheduleEntry;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The live demo on bundled data: a camera replays N-MNIST-style recordings over UDP on loopback "
                + "and the engine classifies them live, next to the ground truth.")
final class DemoCommand implements Runnable {

    @Mixin
    ReplayCliOptions replay = new ReplayCliOptions();




    @Option(names = "--model", paramLabel = "M.snn", description = "Calibrated event model (default: bundled models/nmnist_cnn.snn).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "Labelled recordings (default: bundled data/nmnist-emu).")
    Path data;



    @Mixin
    LiveCliOptions live = new LiveCliOptions();

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "Write the summary as JSON to FILE, or to stdout with - (the text report then goes to stderr).")
    JsonTarget json;

    @Option(names = "--schedule", paramLabel = "FILE", description = "Write the camera's ground-truth schedule as CSV.")
    Path schedulePath;

    @Mixin
    WebViewOptions web = new WebViewOptions();

    @Option(names = "--http-linger-s", defaultValue = "30", paramLabel = "S",
            description = "With --http: keep serving the page this long after the replay (default ${DEFAULT-VALUE}); "
                    + "the replay starts 3 s after the page is up, so a browser can connect first.")
    int httpLingerS;

    @Option(names = "--quiet", description = "Only the summary.")
    boolean quiet;

    @Mixin
    PoissonCameraOptions poisson = new PoissonCameraOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        if (poisson.enabled() && model == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--poisson-images needs a frame model, e.g. --model models/fmnist_vgg.snn");
        }
        FleetOptions fleet = live.fleet(spec.commandLine(), LiveCliOptions.DEMO_BUSY_POLL_US);
        replay.protocol(); // the demo's camera sends UDP: checked before the model loads
        Path modelPath = model != null ? model : BundledFiles.resolve("models/nmnist_cnn.snn");
        CalibratedModel m = CalibratedModel.load(modelPath);
        Path dataDir;
        Camera camera;
        LiveOptions decisions = live.options(m.dtUs());
        if (poisson.enabled()) {
            dataDir = poisson.images;
            camera = poisson.camera(m.network().inputShape(), m.dtUs(), replay.gapMs * 1000L, replay.recordings);
            // each image decided on all of its T steps: the window spans the image (the idle reset
            // in the gap clears it) and a decision every step, so one falls on the image's last
            int imageMs = Math.max(1, (int) ((long) poisson.stepsPerImage * m.dtUs() / 1000));
            int idleResetMs = Math.max(1, Math.min(decisions.idleResetMs(), replay.gapMs / 2));
            decisions = new LiveOptions(m.dtUs(), Math.max(decisions.windowMs(), imageMs), 1, idleResetMs,
                    decisions.closeMarginUs());
        } else {
            dataDir = data != null ? data : BundledFiles.resolve("data/nmnist-emu");
            camera = new ReplayCamera(LabelledRecordings.list(dataDir, replay.recordings), replay.gapMs * 1000L);
        }
        if (schedulePath != null) {
            camera.writeSchedule(schedulePath);
        }
        List<ScheduleEntry> schedule = camera.schedule();
        List<String> names = m.network().classNames();
        JsonTarget.text(json).printf("demo: %s (%s) classifying %d recordings from %s%n", m.network().name(),
                m.calibration().getMethod(), schedule.size(), dataDir);
        long spanUs = schedule.isEmpty() ? 0 : schedule.get(schedule.size() - 1).endUs();
        LiveView view = web.view(names);
        LiveWebServer[] server = new LiveWebServer[1];
        LiveDemo demo = new LiveDemo(m, camera, replay.protocol(), decisions, fleet, view, session -> {
            if (view != null) {
                server[0] = WebViewOptions.serve(view, session, web);
                pause(3000);
            }
        });
        LiveDemo.Result r = demo.run(replay.speed, replay.perDatagram, c -> {
            if (c.changed() && !quiet) {
                ScheduleEntry truth = camera.at(c.windowEndUs() - 1);
                String t = truth == null ? "(gap)" : names.get(truth.label());
                String mark = truth == null || c.topClass() < 0 ? " " : c.topClass() == truth.label() ? "ok" : "x";
                JsonTarget.text(json).printf("t=%8.3f s  live %-10s conf %4.2f  latency %6.2f ms   truth %-10s %s%n",
                        c.windowEndUs() / 1e6, c.topName(), c.confidence(), c.latencyMs(), t, mark);
            }
        }, target -> JsonTarget.text(json).printf("camera -> %s over UDP (%s), %.1f s of sensor time at %.1fx%n", target, replay.protocol(),
                spanUs / 1e6, replay.speed));
        var t = r.counters();
        JsonTarget.text(json).println();
        JsonTarget.text(json).printf("summary: %d samples, live accuracy %.1f%% (%d correct, majority of decisions per sample)%n",
                r.samples(), 100 * r.accuracy(), r.correct());
        JsonTarget.text(json).printf("         last decision per sample: %.1f%% (%d correct)%s%n",
                r.samples() == 0 ? 0 : 100.0 * r.correctLast() / r.samples(), r.correctLast(),
                poisson.enabled() ? "; compare: evaluate --model " + modelPath + " --data " + poisson.images
                        + " --limit " + r.samples() + " --timesteps " + poisson.stepsPerImage + " --eval-seed "
                        + poisson.seed : "");
        long[] first = r.timesToFirstCorrectUs();
        JsonTarget.text(json).printf("         decisions correct %.1f%%, announced changes per sample %.2f, first correct "
                        + "announcement after p50 %.0f ms, p99 %.0f ms (%d of %d samples)%n",
                100 * r.correctDecisionShare(), r.changesPerSample(), percentile(first, 50) / 1000.0,
                percentile(first, 99) / 1000.0, first.length, r.samples());
        JsonTarget.text(json).printf("         events %,d sent, %,d received (%,.0f ev/s over %.1f s)%n", r.eventsSent(),
                r.eventsReceived(), r.eventsReceived() / r.wallSeconds(), r.wallSeconds());
        JsonTarget.text(json).printf("         datagrams %,d sent, %,d received, lost %d, dropped %d, malformed %d; late events %d, "
                        + "outside the input %d%n", r.datagramsSent(), t.datagrams(), t.lost(), t.droppedDatagrams(),
                t.malformed(), r.lateEvents(), r.outsideEvents());
        JsonTarget.text(json).printf("         latency p50 %.2f ms, p99 %.2f ms (newest event's arrival -> decision), %d decisions%n",
                r.latencyP50Ms(), r.latencyP99Ms(), r.decisions());
        var filters = decisions.filters();
        if (!filters.isEmpty()) {
            JsonTarget.text(json).printf("         filters removed: %s%n", filters.removedSummary());
        }
        if (json != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.network().name());
            o.put("samples", r.samples());
            o.put("correct", r.correct());
            o.put("accuracy", r.accuracy());
            o.put("correct_last", r.correctLast());
            o.put("accuracy_last", r.samples() == 0 ? 0 : (double) r.correctLast() / r.samples());
            o.put("decisions_correct", r.correctDecisionShare());
            o.put("changes_per_sample", r.changesPerSample());
            o.put("first_correct_ms_p50", percentile(r.timesToFirstCorrectUs(), 50) / 1000.0);
            o.put("first_correct_ms_p99", percentile(r.timesToFirstCorrectUs(), 99) / 1000.0);
            o.put("events", r.eventsReceived());
            o.put("events_sent", r.eventsSent());
            o.put("events_per_s", r.eventsReceived() / r.wallSeconds());
            o.put("datagrams_sent", r.datagramsSent());
            o.put("datagrams", t.datagrams());
            o.put("lost", t.lost());
            o.put("dropped", t.droppedDatagrams());
            o.put("malformed", t.malformed());
            o.put("late_events", r.lateEvents());
            o.put("latency_ms_p50", r.latencyP50Ms());
            o.put("latency_ms_p99", r.latencyP99Ms());
            o.put("decisions", r.decisions());
            o.put("filters_removed", filters.removedByName());
            o.put("speed", replay.speed);
            o.put("wall_s", r.wallSeconds());
            json.write(o);
        }
        if (view != null) {
            System.err.printf("web view: serving the final state for %d s more%n", httpLingerS);
            pause(httpLingerS * 1000L);
            server[0].close();
            view.close();
        }
    }

    /** Nearest-rank percentile of sorted values; 0 when there are none. */
    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
