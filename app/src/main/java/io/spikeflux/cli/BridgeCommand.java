package io.spikeflux.cli;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.kafka.PacketPublisher;
import io.spikeflux.aer.tcp.DvTcpClient;
import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.aer.udp.UdpEventReceiver;
import io.spikeflux.engine.sensor.InputFit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.nio.file.Path;

@Command(name = "bridge", mixinStandardHelpOptions = true,
        description = "Receive events from cameras (jAER, SPIF or protobuf over UDP, or DV's AEDAT 4 over TCP) and "
                + "write one Kafka record per packet: key = sensor id, value = EventPacketMessage (geometry, sequence).")
final class BridgeCommand implements Runnable {

    @Mixin
    ReceiverCliOptions receiver = new ReceiverCliOptions();

    @Mixin
    KafkaCliOptions kafka = new KafkaCliOptions();

    @Mixin
    SensorSizeOptions size = new SensorSizeOptions();

    @Option(names = "--connect", paramLabel = "HOST:PORT",
            description = "With --protocol aedat4-tcp: the DV camera's network output.")
    String connect;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: until interrupted).")
    Integer seconds;

    @Option(names = "--sensors", paramLabel = "FILE",
            description = "The cameras, one per line: ADDRESS[:PORT] NAME WxH|CAMERA [roi=...] [fit=...] (the file of "
                    + "live --sensors): their records are keyed by NAME with that size, not by ip:port, so a camera "
                    + "that restarts on a new port keeps its key and partition.")
    Path sensorsFile;

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "The receiver's per-source counters as JSON objects every second, to FILE or stdout with -.")
    JsonTarget json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!kafka.enabled()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bridge needs --kafka HOST:PORT");
        }
        if (receiver.isTcp() != (connect != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "DV's TCP stream needs both --protocol aedat4-tcp and --connect HOST:PORT");
        }
        UdpEventReceiver udp = null;
        DvTcpClient dv = null;
        Flux<EventPacket> packets;
        if (connect != null) {
            if (sensorsFile != null || json != null || size.given()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--sensors, --sensor, --camera and --json are for UDP cameras; a DV stream names its own sensor "
                                + "and size");
            }
            int colon = connect.lastIndexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--connect " + connect + ": expected HOST:PORT");
            }
            dv = new DvTcpClient(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)));
            packets = dv.packets();
        } else {
            var options = receiver.options(size.geometry(ListenCommand.DEFAULT_SIZE));
            if (sensorsFile != null) {
                options = options.withSources(SensorsFile.read(sensorsFile, InputFit.DEFAULT).sources());
            }
            udp = UdpEventReceiver.start(options);
            packets = udp.packets();
        }
        try (PacketPublisher publisher = new PacketPublisher(kafka.servers, kafka.topic)) {
            System.err.printf("bridge: %s -> Kafka %s topic %s%n", udp != null ? udp.address() + " (" + receiver.protocol + ")"
                    : "DV at " + dv.address(), kafka.servers, kafka.topic);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Disposable writing = publisher.publishAsReceived(packets).subscribe(x -> { }, failure::set);
            ReceiverStatus status = udp == null ? null : new ReceiverStatus(udp, json);
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            long before = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (failure.get() != null) {
                    throw new IllegalStateException("bridge stopped: " + failure.get().getMessage(), failure.get());
                }
                long now = publisher.events();
                String source = udp == null ? String.format("DV: connections %d, failures %d", dv.connections(), dv.failures())
                        : udpStatus(udp);
                System.err.printf("bridge: %,d ev/s, records written %,d (%,d events, %,d bytes), failed %d%s; %s%n",
                        now - before, publisher.records(), now, publisher.bytes(), publisher.failed(),
                        publisher.lastError() == null ? "" : " (last: " + publisher.lastError() + ")", source);
                if (status != null) {
                    status.print(System.err);
                }
                before = now;
            }
            writing.dispose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (udp != null) {
                udp.close();
            }
        }
    }

    private static String udpStatus(UdpEventReceiver udp) {
        SensorCounters.Snapshot t = SensorCounters.Snapshot.sum(udp.counters().stream().map(SensorCounters::snapshot).toList());
        return String.format("received %,d datagrams from %d sources, lost %d, dropped %d, malformed %d", t.datagrams(),
                udp.counters().size(), t.lost(), t.droppedDatagrams(), t.malformed());
    }
}
