package io.spikeflux.cli;

import io.spikeflux.live.LiveSession;
import io.spikeflux.view.web.LiveView;
import io.spikeflux.view.web.LiveWebServer;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.engine.live.Classification;
import io.spikeflux.engine.live.FleetOptions;
import io.spikeflux.engine.live.FleetCounters;
import io.spikeflux.engine.model.CalibratedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Classify events arriving over UDP, live: prints each change of the top class and a status line.")
final class LiveCommand implements Runnable {

    @Option(names = "--model", required = true, paramLabel = "M.snn", description = "Calibrated event model.")
    Path model;

    @Mixin
    ReceiverCliOptions receiver = new ReceiverCliOptions();

    @Mixin
    LiveCliOptions live = new LiveCliOptions();

    @Mixin
    SensorCliOptions sensor = new SensorCliOptions();

    @Mixin
    WebViewOptions web = new WebViewOptions();

    @Mixin
    KafkaCliOptions kafka = new KafkaCliOptions();

    @Option(names = "--group", defaultValue = "spikeflux", paramLabel = "G",
            description = "With --kafka: the consumer group of the engine instances; each partition is served by one "
                    + "instance (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--out-topic", paramLabel = "NAME",
            description = "With --kafka: write every decision to this topic (protobuf ClassificationMessage, key = sensor id).")
    String outTopic;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "With --kafka: a stable name of this instance in the group (static membership: a restart "
                    + "within the session timeout gets the same partitions back without a rebalance).")
    String instanceId;

    @Option(names = "--from-start",
            description = "With --kafka: a group without committed offsets starts at the topic's oldest records "
                    + "(default: at the newest, classifying what arrives from now on).")
    boolean fromStart;

    @Option(names = "--session-timeout-s", defaultValue = "10", paramLabel = "S",
            description = "With --kafka: how long the group waits for a silent instance before moving its partitions "
                    + "(default ${DEFAULT-VALUE}).")
    int sessionTimeoutS;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "One JSON line per decision (every one) to FILE, or to stdout with - (instead of the text lines).")
    JsonTarget json;

    @Option(names = "--all", description = "Text mode: print every periodic decision, not only changes of the top class.")
    boolean all;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: until interrupted).")
    Integer seconds;

    @Option(names = "--sensors", paramLabel = "FILE",
            description = "A fleet's cameras, one per line: ADDRESS[:PORT] NAME WxH|CAMERA [roi=X,Y,W,H] [fit=MODE]; "
                    + "their datagrams become sensor NAME with that size and mapping (others use --sensor/--roi/--fit).")
    Path sensorsFile;

    @Option(names = "--connect", paramLabel = "HOST:PORT",
            description = "With --protocol aedat4-tcp: the DV camera's network output (DV's TCP server module, "
                    + "default port 7777); reconnects with back-off when the stream ends or is not valid.")
    String connect;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // checked before the model loads
        FleetOptions engine = live.fleet(spec.commandLine(), 0);
        CalibratedModel m = CalibratedModel.load(model);
        var in = m.network().inputShape();
        SensorGeometry g = sensor.geometry(new SensorGeometry(in.width(), in.height()));
        var fit = sensor.fit();
        boolean tcp = receiver.isTcp() || connect != null;
        if (tcp) {
            System.err.printf("live: sensor size from the stream's header, mapped by %s%n", fit);
        } else {
            System.err.printf("live: sensor %s%n", fit.mapping(g, in.width(), in.height()));
        }
        var options = live.options(m.dtUs()).withFit(fit);
        if (kafka.enabled()) {
            if (connect != null || receiver.isTcp()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--kafka reads events from Kafka: it does not combine with --connect or --protocol aedat4-tcp");
            }
            if (sensorsFile != null) {
                options = options.withFits(SensorsFile.read(sensorsFile, fit).sensorFits(fit));
            }
            runKafka(m, options, engine);
            return;
        }
        var udp = receiver.isTcp() || connect != null ? null : receiver.options(g);
        if (sensorsFile != null) {
            SensorsFile fleet = SensorsFile.read(sensorsFile, fit);
            options = options.withFits(fleet.sensorFits(fit));
            if (udp != null) {
                udp = udp.withSources(fleet.sources());
            }
            System.err.printf("live: %d cameras from %s%n", fleet.fits().size(), sensorsFile);
        }
        io.spikeflux.aer.tcp.DvTcpClient dv = null;
        if (receiver.isTcp() || connect != null) {
            if (connect == null || !receiver.isTcp()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "DV's TCP stream needs both --protocol aedat4-tcp and --connect HOST:PORT");
            }
            int colon = connect.lastIndexOf(':');
            if (colon <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--connect " + connect + ": expected HOST:PORT, e.g. 127.0.0.1:7777");
            }
            dv = new io.spikeflux.aer.tcp.DvTcpClient(connect.substring(0, colon),
                    Integer.parseInt(connect.substring(colon + 1)));
        }
        LiveView view = web.view(m.network().classNames());
        java.util.function.Consumer<Classification> out = view == null ? this::print : c -> {
            print(c);
            view.decision(c);
        };
        var tap = view == null ? null : view.packetTap();
        try (LiveSession session = dv != null ? new LiveSession(m, dv, options, engine, out, tap)
                : new LiveSession(m, udp, options, engine, out, tap);
             LiveWebServer server = view == null ? null : WebViewOptions.serve(view, session, web);
             LiveView closeView = view) {
            if (dv != null) {
                System.err.printf("live: %s from DV at %s (AEDAT 4 over TCP), window %d ms%n", m.network().name(),
                        dv.address(), live.windowMs);
            } else {
                System.err.printf("live: %s on %s (%s), window %d ms, kernel receive buffer %d bytes%n", m.network().name(),
                        session.receiver().address(), receiver.protocol, live.windowMs,
                        session.receiver().effectiveReceiveBufferBytes());
            }
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            SensorCounters.Snapshot before = session.totals();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (session.failure() != null) {
                    throw new IllegalStateException("live classification stopped: " + session.failure().getMessage(),
                            session.failure());
                }
                if (dv != null) {
                    var lat = session.latencyMicros();
                    System.err.printf("status: DV %s: %,d events, connections %d, failures %d%s, late events %d, "
                                    + "latency p50 %.2f ms p99 %.2f ms%n", dv.address(), dv.events(), dv.connections(),
                            dv.failures(), dv.lastError() == null ? "" : " (last: " + dv.lastError() + ")",
                            session.classifier().lateEvents(), lat.getValueAtPercentile(50) / 1000.0,
                            lat.getValueAtPercentile(99) / 1000.0);
                } else {
                    SensorCounters.Snapshot now = session.totals();
                    var lat = session.latencyMicros();
                    FleetCounters f = session.classifier().fleetCounters();
                    System.err.printf("status: %,d ev/s, datagrams %,d, lost %d, dropped %d, malformed %d, late datagrams %d, "
                                    + "rejected %d, late events %d, "
                                    + "sensors %d (evicted %d, failed %d, refused %d pkts), sensor-queue drops %d pkts, shed for lag %d pkts, "
                                    + "latency p50 %.2f ms p99 %.2f ms%n", now.events() - before.events(), now.datagrams(),
                            now.lost(), now.droppedDatagrams(), now.malformed(), now.late(), session.receiver().rejected(),
                            session.classifier().lateEvents(),
                            f.active(), f.evicted(), f.failed(), f.refusedPackets(), f.droppedPackets(), f.shedPackets(),
                            lat.getValueAtPercentile(50) / 1000.0, lat.getValueAtPercentile(99) / 1000.0);
                    before = now;
                }
                printFilters(session.classifier().filters());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One engine instance of a consumer group, reading event packets from Kafka. */
    private void runKafka(CalibratedModel m, io.spikeflux.engine.live.LiveOptions options, FleetOptions f0) {
        var k = io.spikeflux.live.kafka.KafkaLiveOptions.of(kafka.servers, kafka.topic, group, outTopic)
                .withSessionTimeout(java.time.Duration.ofSeconds(sessionTimeoutS)).withInstanceId(instanceId)
                .withFromStart(fromStart);
        LiveView view = web.view(m.network().classNames());
        java.util.function.Consumer<Classification> out = view == null ? this::print : c -> {
            print(c);
            view.decision(c);
        };
        // nothing is shed for lag here: backpressure pauses the partitions instead, and a backlog
        // read from the topic is classified in full
        var fleet = f0.withMaxLagMs(0);
        try (var session = new io.spikeflux.live.kafka.KafkaLiveSession(m, k, options, fleet, out,
                view == null ? null : view.packetTap());
             LiveWebServer server = view == null ? null : WebViewOptions.serve(view, session, web);
             LiveView closeView = view) {
            // Ctrl-C: flush the pipelines, commit and leave the group, so the others take over at once
            Thread onExit = new Thread(session::close, "spikeflux-kafka-exit");
            Runtime.getRuntime().addShutdownHook(onExit);
            System.err.printf("live: %s on Kafka %s topic %s, group %s%s, window %d ms%n", m.network().name(), kafka.servers,
                    kafka.topic, group, outTopic == null ? "" : ", decisions to " + outTopic, live.windowMs);
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            long before = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (session.failure() != null) {
                    throw new IllegalStateException("live classification stopped: " + session.failure().getMessage(),
                            session.failure());
                }
                var lat = session.latencyMicros();
                var transit = session.transitMicros();
                FleetCounters f = session.classifier().fleetCounters();
                long events = session.events();
                System.err.printf("status: %,d ev/s, partitions %s, records %,d, malformed %d, decisions %,d (written %,d, "
                                + "failed %d), sensors %d (evicted %d, failed %d), late events %d, "
                                + "Kafka transit p50 %.0f ms p99 %.0f ms, engine latency p50 %.2f ms p99 %.2f ms%n",
                        events - before, session.partitions(), session.records(), session.malformed(), session.decisions(),
                        session.outputsWritten(), session.outputsFailed(), f.active(), f.evicted(), f.failed(),
                        session.classifier().lateEvents(), transit.getValueAtPercentile(50) / 1000.0,
                        transit.getValueAtPercentile(99) / 1000.0, lat.getValueAtPercentile(50) / 1000.0,
                        lat.getValueAtPercentile(99) / 1000.0);
                before = events;
                printFilters(session.classifier().filters());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printFilters(io.spikeflux.aer.filter.FilterSpec filters) {
        if (!filters.isEmpty()) {
            System.err.println("filters removed: " + filters.removedSummary());
        }
    }

    private void print(Classification c) {
        if (json != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sensor", c.sensorId());
            o.put("window_start_us", c.windowStartUs());
            o.put("window_end_us", c.windowEndUs());
            o.put("class", c.topClass());
            o.put("raw_class", c.rawClass());
            o.put("name", c.topName());
            o.put("confidence", c.confidence());
            o.put("changed", c.changed());
            o.put("counts", c.counts());
            double[] shares = new double[c.counts().length];
            for (int k = 0; k < shares.length; k++) {
                shares[k] = c.share(k);
            }
            o.put("shares", shares);
            o.put("latency_ms", c.latencyMs());
            json.line(o);
        }
        if ((json == null || !json.toStdout()) && (c.changed() || all)) {
            System.out.printf("%-22s t=%9.3f s  %-12s conf %4.2f  latency %6.2f ms%n", c.sensorId(),
                    c.windowEndUs() / 1e6, c.topName(), c.confidence(), c.latencyMs());
        }
    }
}
