package io.spikeflux.cli;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.format.RecordingFormat;
import io.spikeflux.aer.format.RecordingFormats;
import io.spikeflux.aer.format.RecordingWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Flux;

import java.nio.file.Path;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert any readable recording to AEDAT 2.0, AEDAT 3.1 or N-MNIST binary.")
final class ConvertCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Option(names = "--to", description = "aedat2 | aedat3 | nmnist (default: from OUT's extension: .aedat/.aedat2, .aedat3, .bin).")
    RecordingFormat to;

    @Option(names = "--keep-time", description = "Keep absolute timestamps (default: AEDAT 2.0 and N-MNIST start at the first event).")
    boolean keepTime;

    @Override
    public void run() {
        RecordingFormat target = to != null ? to : RecordingFormats.forWriting(out);
        Recording r = Recording.open(in);
        Flux<EventPacket> events = r.events();
        boolean rebase = !keepTime && target.narrowClock();
        if (rebase) {
            // 32-bit (AEDAT 2.0) and 23-bit (N-MNIST) clocks cannot hold e.g. Unix-time microseconds.
            long[] origin = {Long.MIN_VALUE};
            events = events.map(p -> {
                if (origin[0] == Long.MIN_VALUE && p.size() > 0) {
                    origin[0] = p.firstTimestampUs();
                }
                return p.shiftedBy(-origin[0]);
            });
        }
        long n = RecordingWriter.writeAll(events, out, target, r.geometry()).block();
        System.out.printf("wrote %,d events from %s (%s, %s) to %s (%s)%s%n", n, in, r.format().title(), r.geometry(),
                out, target.title(), rebase ? ", timestamps relative to the first event" : "");
    }

}
