package io.spikeflux.bench;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Decoding a whole recording (from the page cache) into event packets on one core. Divide the
 * events per file by the time per operation for Mev/s (BENCHMARKS.md does).
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecodeBenchmark {

    @Param({"prophesee_gen3_evt2_sample.raw", "prophesee_gen41_evt3_sample.raw", "dvxplorer_lite_sample.aedat4",
            "ncars_sample.dat", "nmnist_sample.bin"})
    public String file;

    private Recording recording;

    @Setup
    public void setup() {
        recording = Recording.open(Paths.repo("io-aer/src/test/resources/events/" + file));
        long events = recording.events().map(p -> (long) p.size()).reduce(0L, Long::sum).block();
        System.out.printf("%n%s: %,d events%n", file, events);
    }

    @Benchmark
    public long decode() {
        long n = 0;
        for (EventPacket p : recording.events(8192).toIterable()) {
            n += p.size();
        }
        return n;
    }
}
