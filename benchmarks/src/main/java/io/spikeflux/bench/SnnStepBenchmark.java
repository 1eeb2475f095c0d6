package io.spikeflux.bench;

import io.spikeflux.engine.calibrate.Calibrator;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.CalibrationSettings;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.encode.PoissonEncoder;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.onnx.OnnxImporter;
import io.spikeflux.engine.snn.ResetMode;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Simulated image-steps per second of the converted SNN on one core: one operation is one sample
 * of T = 64 steps (Poisson spikes drawn beforehand), counted as 64 image-steps. The steps are
 * advanced in the stepper's reused frame, so {@code -prof gc} shows what the simulation itself
 * allocates per step.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SnnStepBenchmark {

    private static final int T = 64;

    @Param({"fmnist_vgg", "fmnist_lenet", "fmnist_resnet"})
    public String model;

    private SpikingNetwork.Stepper snn;
    private List<List<SpikeStep>> inputs;
    private int next;

    @Setup
    public void setup() {
        SpikingTopology topo = new SpikingTopology(OnnxImporter.importFile(Paths.repo("models/" + model + ".onnx")));
        var train = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "train", 256);
        SnnParameters p = Calibrator.run(topo, train, new CalibrationSettings(CalibrationMethod.parse("ann-p99.9"),
                ResetMode.ZERO, 256, 0, 1, ResidualMode.PAPER, 0f, 1), ProgressListener.NONE).parameters();
        snn = new SpikingNetwork(topo, p).stepper();
        var test = FrameDataset.loadIdx(FrameDataset.DEFAULT_FASHION_MNIST, "t10k", 16);
        inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(PoissonEncoder.encode(test.get(i).annInput(), T, i).collectList().block());
        }
    }

    @Benchmark
    @OperationsPerInvocation(T)
    public long sample() {
        long ops = 0;
        for (SpikeStep s : inputs.get(next++ & 15)) {
            snn.advance(s);
            ops += snn.synapticOps();
        }
        return ops;
    }
}
