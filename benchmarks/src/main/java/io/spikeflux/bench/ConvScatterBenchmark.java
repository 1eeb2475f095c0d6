package io.spikeflux.bench;

import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.LinearKernel;
import io.spikeflux.engine.graph.TensorShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One step of a 3x3 convolution's event-driven scatter on one core, as the ResNet's stride-1
 * convolutions run it: {@code channels} in and out, spikes at {@code rate} of the inputs drawn
 * at random (a step of the ResNet's 16-channel stage carries 230-430 spikes). One operation is
 * one step: the output reset to its bias, then every spike's window added.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvScatterBenchmark {

    private static final int STEPS = 256;

    /** Channels in and out, and the map's side: the ResNet's stages are 16 at 28, 32 at 14, 64 at 7. */
    @Param({"16:28", "32:14", "64:7"})
    public String layer;

    @Param({"0.0345", "0.01"})
    public double rate;

    private Conv2d conv;
    private LinearKernel kernel;
    private float[] input;
    private int[][] active;
    private int[] counts;
    private float[] output;
    private int next;

    @Setup
    public void setup() {
        int channels = Integer.parseInt(layer.split(":")[0]);
        int side = Integer.parseInt(layer.split(":")[1]);
        Random r = new Random(1);
        float[] weights = new float[9 * channels * channels];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) r.nextGaussian();
        }
        TensorShape shape = new TensorShape(side, side, channels);
        conv = new Conv2d(shape, shape, 3, 3, 1, 1, 1, 1, weights, null);
        kernel = conv.newKernel();
        input = new float[shape.size()];
        java.util.Arrays.fill(input, 1f);
        active = new int[STEPS][shape.size()];
        counts = new int[STEPS];
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < shape.size(); i++) {
                if (r.nextDouble() < rate) {
                    active[s][counts[s]++] = i;
                }
            }
        }
        output = new float[shape.size()];
    }

    @Benchmark
    public long step() {
        int s = next++ & (STEPS - 1);
        conv.initOutput(output);
        return kernel.propagate(input, active[s], counts[s], output);
    }
}
