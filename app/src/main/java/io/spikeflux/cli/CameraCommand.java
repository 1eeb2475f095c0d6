package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.format.RecordingFormats;
import io.spikeflux.aer.format.RecordingWriter;
import io.spikeflux.aer.udp.UdpEventSender;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.Camera;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.camera.SaccadeEmulator;
import io.spikeflux.engine.data.FrameDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "camera", mixinStandardHelpOptions = true,
        description = "Replay recordings over UDP like a live camera: in real time (or faster), sample after sample with a gap.")
final class CameraCommand implements Runnable {

    @Mixin
    ReplayCliOptions replay = new ReplayCliOptions();

    @Parameters(paramLabel = "RECORDING|DIR", arity = "0..*",
            description = "Recording files (any readable format) or N-MNIST-style labelled directories.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--emulate-images", paramLabel = "IDX_DIR",
            description = "Emulate a saccade camera (34x34, N-MNIST style) watching the test images of an IDX dataset.")
    Path emulateImages;

    @Option(names = "--emulate-to", paramLabel = "DIR",
            description = "Keep the emulated recordings as a labelled dataset (<label>/<index>.bin and recordings.csv) "
                    + "that calibrate and evaluate can read.")
    Path emulateTo;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Receiver host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", description = "Receiver port (default: the protocol's: 8991 jaer, 3333 spif, 8992 proto).")
    Integer port;






    @Option(names = "--listen", paramLabel = "PORT",
            description = "With --protocol aedat4-tcp: serve the recordings as DV's network output does, to every "
                    + "client that connects (each from the start, paced), on this TCP port of --host, until stopped.")
    Integer listen;

    @Mixin
    KafkaCliOptions kafka = new KafkaCliOptions();

    @Option(names = "--sensor-id", defaultValue = "camera", paramLabel = "ID",
            description = "With --kafka: the sensor id the records carry (default ${DEFAULT-VALUE}).")
    String sensorId;

    @Option(names = "--cameras", defaultValue = "1", paramLabel = "N",
            description = "With --kafka: split the recordings round-robin over N cameras ID-0 .. ID-(N-1), replayed "
                    + "side by side (default ${DEFAULT-VALUE}: one camera named ID).")
    int cameras;

    @Option(names = "--schedule", paramLabel = "FILE", description = "Write the ground-truth schedule (label, start, end) as CSV.")
    Path schedule;

    @Mixin
    PoissonCameraOptions poisson = new PoissonCameraOptions();

    @Option(names = "--size", defaultValue = "28x28", paramLabel = "WxH",
            description = "Poisson camera: image files are resized to this (the model's input; default ${DEFAULT-VALUE}).")
    SensorGeometry size;

    @Option(names = "--dt-us", defaultValue = "1000", description = "Poisson camera: step length in µs (default ${DEFAULT-VALUE}).")
    int dtUs;

    /**
     * Emulated recordings of the first {@code n} test images, written as an N-MNIST-style labelled
     * dataset to {@code keep} (or to a temporary directory removed on exit).
     */
    private static List<LabelledRecording> emulate(Path idx, int n, Path keep) {
        FrameDataset images = FrameDataset.loadIdx(idx, "t10k", n);
        SaccadeEmulator emulator = SaccadeEmulator.nmnistLike();
        List<LabelledRecording> out = new ArrayList<>();
        try {
            Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("spikeflux-emulated");
            if (keep == null) {
                dir.toFile().deleteOnExit(); // registered first, deleted last: after its files
            }
            StringBuilder csv = new StringBuilder("index,label,file,events\n");
            for (int i = 0; i < images.size(); i++) {
                var sample = images.get(i);
                String name = sample.label() + "/" + String.format("%05d.bin", i);
                Path labelDir = Files.createDirectories(dir.resolve(Integer.toString(sample.label())));
                if (keep == null) {
                    labelDir.toFile().deleteOnExit();
                }
                Path file = labelDir.resolve(String.format("%05d.bin", i));
                var recording = emulator.record(sample.annInput(), 28, "emulator", i);
                RecordingWriter.writeAll(Flux.just(recording), file, RecordingFormats.NMNIST, emulator.geometry()).block();
                csv.append(i).append(',').append(sample.label()).append(',').append(name).append(',')
                        .append(recording.size()).append('\n');
                out.add(new LabelledRecording(file, sample.label()));
                if (keep == null) {
                    file.toFile().deleteOnExit();
                }
            }
            Files.writeString(dir.resolve("recordings.csv"), csv);
            if (keep == null) {
                dir.resolve("recordings.csv").toFile().deleteOnExit();
            } else {
                System.err.printf("camera: kept %d emulated recordings in %s%n", out.size(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write emulated recordings: " + e.getMessage(), e);
        }
        return out;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // usage checked before any work (an emulation can take a while)
        if (cameras <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cameras must be positive");
        }
        if (!poisson.enabled() && emulateImages == null && inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give recordings, directories, --emulate-images or --poisson-images");
        }
        if (!kafka.enabled() && (listen != null) != replay.isTcp()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "serving DV's TCP stream needs both --protocol aedat4-tcp and --listen PORT");
        }
        if (poisson.enabled()) {
            Camera camera = poisson.camera(PoissonCameraOptions.frame(size), dtUs, replay.gapMs * 1000L, replay.recordings);
            if (kafka.enabled()) {
                publish(List.of(camera), List.of(sensorId), dtUs);
            } else {
                send(camera, size, dtUs);
            }
            return;
        }
        List<LabelledRecording> list = new ArrayList<>();
        if (emulateImages != null) {
            list.addAll(emulate(emulateImages, replay.recordings, emulateTo));
        }
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                list.addAll(LabelledRecordings.list(p, replay.recordings));
            } else {
                Recording.open(p); // fail early with the format error, not midway
                list.add(new LabelledRecording(p, -1));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no recordings to replay in " + (inputs.isEmpty() ? emulateImages : inputs));
        }
        if (kafka.enabled()) {
            publish(list);
            return;
        }
        send(new ReplayCamera(list, replay.gapMs * 1000L), Recording.open(list.get(0).file()).geometry(), 1000);
    }

    /** Replays the recordings straight into a Kafka topic, as --cameras cameras side by side. */
    private void publish(List<LabelledRecording> list) {
        List<Camera> replays = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < Math.min(cameras, list.size()); c++) {
            List<LabelledRecording> mine = new ArrayList<>();
            for (int i = c; i < list.size(); i += cameras) {
                mine.add(list.get(i));
            }
            replays.add(new ReplayCamera(mine, replay.gapMs * 1000L));
            ids.add(cameras == 1 ? sensorId : sensorId + "-" + c);
        }
        System.err.printf("camera: %d recordings as %d cameras%n", list.size(), replays.size());
        publish(replays, ids, 1000);
    }

    /** Streams the cameras into the Kafka topic in real time (times --speed), one sensor id each. */
    private void publish(List<Camera> sources, List<String> ids, long slotUs) {
        List<reactor.core.publisher.Mono<Long>> all = new ArrayList<>();
        long start = System.nanoTime();
        try (var publisher = new io.spikeflux.aer.kafka.PacketPublisher(kafka.servers, kafka.topic)) {
            for (int c = 0; c < sources.size(); c++) {
                Camera camera = sources.get(c);
                String id = ids.get(c);
                if (schedule != null) {
                    camera.writeSchedule(sources.size() == 1 ? schedule : schedule.resolveSibling(id + "-" + schedule.getFileName()));
                }
                all.add(publisher.publish(io.spikeflux.camera.Pacing.inTime(camera.events(), replay.speed, slotUs), id));
            }
            System.err.printf("camera: %d cameras -> Kafka %s topic %s at %.1fx%n",
                    all.size(), kafka.servers, kafka.topic, replay.speed);
            reactor.core.publisher.Mono.when(all).block();
            double wall = (System.nanoTime() - start) / 1e9;
            System.err.printf("camera: wrote %,d records (%,d events, %,d bytes) over %.1f s, %d failed%n",
                    publisher.records(), publisher.events(), publisher.bytes(), wall, publisher.failed());
            if (publisher.failed() > 0) {
                throw new IllegalStateException(publisher.failed() + " records were not written: " + publisher.lastError());
            }
        }
    }

    private void send(Camera camera, SensorGeometry geometry, long slotUs) {
        if (schedule != null) {
            camera.writeSchedule(schedule);
        }
        if (replay.isTcp() || listen != null) {
            serve(camera, geometry);
            return;
        }
        WireProtocol wire = replay.protocol();
        InetSocketAddress target = new InetSocketAddress(host, port == null ? wire.defaultPort() : port);
        long start = System.nanoTime();
        try (UdpEventSender s = new UdpEventSender(target, wire, replay.perDatagram, "camera", AddressLayout.forGeometry(geometry))) {
            System.err.printf("camera: %d samples -> %s (%s) at %.1fx%n", camera.schedule().size(), target, wire, replay.speed);
            s.send(camera.events(), replay.speed, slotUs);
            long end = System.nanoTime();
            // the rate from when the clock started: encoding ahead before it is not sending
            long paced = s.clockStartNanos() == Long.MIN_VALUE ? start : s.clockStartNanos();
            double wall = (end - paced) / 1e9;
            System.err.printf("camera: sent %,d events in %,d datagrams over %.3f s (%,.0f ev/s; %.1f s with encoding ahead)%n",
                    s.eventsSent(), s.datagramsSent(), wall, s.eventsSent() / Math.max(wall, 1e-9), (end - start) / 1e9);
        }
    }

    /** DV's TCP output: every client gets the header, then the recordings paced at --speed. */
    private void serve(Camera camera, SensorGeometry geometry) {
        if (listen == null || !replay.isTcp()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "serving DV's TCP stream needs both --protocol aedat4-tcp and --listen PORT");
        }
        try (var server = io.spikeflux.aer.tcp.DvTcpServer.start(host, listen, geometry, "spikeflux camera",
                () -> io.spikeflux.camera.Pacing.inTime(camera.events(), replay.speed, 1000))) {
            System.err.printf("camera: serving %d samples (%s) as AEDAT 4 over TCP on %s at %.1fx; Ctrl-C stops%n",
                    camera.schedule().size(), geometry, server.address(), replay.speed);
            long clients = 0;
            while (true) {
                Thread.sleep(1000);
                if (server.clients() != clients) {
                    clients = server.clients();
                    System.err.printf("camera: %d clients so far, %,d events sent%n", clients, server.eventsSent());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
