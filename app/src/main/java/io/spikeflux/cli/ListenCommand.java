package io.spikeflux.cli;

import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.UdpEventReceiver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Receive events over UDP and print a line per second per sensor: rate, ON share, lost, dropped, malformed.")
final class ListenCommand implements Runnable {

    /** jAER's most common camera, when neither --sensor nor --camera is given (listen, bridge). */
    static final SensorGeometry DEFAULT_SIZE = io.spikeflux.aer.event.KnownCamera.DAVIS346.geometry();

    @Mixin
    ReceiverCliOptions receiver = new ReceiverCliOptions();

    @Mixin
    SensorSizeOptions size = new SensorSizeOptions();

    @Option(names = "--json", paramLabel = "FILE|-", converter = JsonTarget.Converter.class,
            description = "One JSON object per sensor and second, to FILE or to stdout with - (instead of the text lines).")
    JsonTarget json;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: run until interrupted).")
    Integer seconds;

    @Override
    public void run() {
        SensorGeometry g = size.geometry(DEFAULT_SIZE);
        try (UdpEventReceiver r = UdpEventReceiver.start(receiver.options(g))) {
            System.err.printf("listening on %s (%s), kernel receive buffer %d bytes%n", r.address(), receiver.protocol,
                    r.effectiveReceiveBufferBytes());
            var sub = r.packets().subscribe(); // drain: listen only counts
            ReceiverStatus status = new ReceiverStatus(r, json);
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                status.print(System.out);
            }
            sub.dispose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
