package io.spikeflux.bench;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.onnx.OnnxImporter;
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

/** ANN forward passes per second on one core (one image per operation). */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AnnForwardBenchmark {

    @Param({"fmnist_vgg", "fmnist_lenet"})
    public String model;

    private AnnForwardPass ann;
    private float[][] images;
    private int next;

    @Setup
    public void setup() {
        Network net = OnnxImporter.importFile(Paths.repo("models/" + model + ".onnx"));
        ann = new AnnForwardPass(net);
        images = new float[64][];
        var data = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "t10k", 64);
        for (int i = 0; i < 64; i++) {
            images[i] = data.get(i).annInput();
        }
        System.out.printf("%n%s: %,d MACs per image%n", model, net.macs());
    }

    @Benchmark
    public float forward() {
        float[] logits = ann.run(images[next++ & 63]);
        return logits[0];
    }
}
