package io.spikeflux.engine.eval;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.data.Sample;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.exec.SampleStreams;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.snn.NeuralLayer;
import io.spikeflux.engine.snn.PipelinePlan;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs the SNN on every sample for T steps, recording the prediction at each checkpoint, spike
 * counts per layer and synaptic operations; samples run in parallel with one network per thread
 * and sample i drawing its Poisson spikes from {@code seed + i}, so results do not depend on the
 * thread count.
 */
public final class SnnEvaluator {

    private SnnEvaluator() {
    }

    /** Checkpoints 8, 16, 32, ... below T, and T itself. */
    public static int[] defaultCheckpoints(int timesteps) {
        TreeSet<Integer> c = new TreeSet<>();
        for (int t = 8; t < timesteps; t *= 2) {
            c.add(t);
        }
        c.add(timesteps);
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    public static SnnEvaluation evaluate(SpikingTopology topology, SnnParameters params, Dataset data, int timesteps,
                                         int[] checkpoints, long seed, int threads, ProgressListener progress) {
        return evaluate(topology, params, data, timesteps, checkpoints, seed, threads, 1, progress);
    }

    /**
     * @param threads  samples simulated side by side, each on its own subscription
     * @param pipeline stage groups per sample stream, each on its own thread (1: none); the split
     *                 is balanced by the stages' wall time on the first sample
     */
    public static SnnEvaluation evaluate(SpikingTopology topology, SnnParameters params, Dataset data, int timesteps,
                                         int[] checkpoints, long seed, int threads, int pipeline,
                                         ProgressListener progress) {
        long start = System.nanoTime();
        Network net = topology.network();
        int[] cps = java.util.Arrays.stream(checkpoints).filter(c -> c > 0 && c <= timesteps).sorted().distinct().toArray();
        if (cps.length == 0 || cps[cps.length - 1] != timesteps) {
            cps = java.util.Arrays.copyOf(cps, cps.length + 1);
            cps[cps.length - 1] = timesteps;
        }
        int[] checkpointOfStep = new int[timesteps];
        java.util.Arrays.fill(checkpointOfStep, -1);
        for (int k = 0; k < cps.length; k++) {
            checkpointOfStep[cps[k] - 1] = k;
        }
        int layerCount = topology.layers().size();
        int checkpointCount = cps.length;
        SpikingNetwork snn = new SpikingNetwork(topology, params);
        PipelinePlan plan = pipeline <= 1 ? PipelinePlan.single(snn.stageCount()) : balancedPlan(snn, data, timesteps, seed, pipeline);
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.get(i).label();
        }
        long simulating = System.nanoTime();
        List<Tally> tallies = SampleStreams.run(snn, plan, data.size(), threads,
                i -> data.get(i).steps(timesteps, seed + i),
                () -> new Tally(checkpointCount, layerCount),
                (tally, i, o) -> {
                    int k = checkpointOfStep[o.step()];
                    if (k >= 0 && o.prediction() == labels[i]) {
                        tally.correct[k]++;
                    }
                    for (int l = 0; l < layerCount; l++) {
                        tally.spikes[l] += o.layerSpikes()[l];
                    }
                    tally.synapticOps += o.synapticOps();
                }, progress);
        long simulated = System.nanoTime();
        tallies.get(0).annCorrect = annCorrect(net, data, threads * Math.max(1, pipeline)); // the threads the run was given
        Tally sum = new Tally(cps.length, layerCount);
        for (Tally t : tallies) {
            sum.add(t);
        }
        int n = Math.max(1, data.size());
        Map<Integer, Double> accuracy = new LinkedHashMap<>();
        for (int k = 0; k < cps.length; k++) {
            accuracy.put(cps[k], sum.correct[k] / (double) n);
        }
        Map<String, Double> spikesPerNeuron = new LinkedHashMap<>();
        Map<String, Integer> neurons = new LinkedHashMap<>();
        List<NeuralLayer> layers = topology.layers();
        for (int l = 0; l < layerCount; l++) {
            spikesPerNeuron.put(layers.get(l).name(), sum.spikes[l] / ((double) n * layers.get(l).size()));
            neurons.put(layers.get(l).name(), layers.get(l).size());
        }
        return new SnnEvaluation(data.size(), timesteps, accuracy, sum.annCorrect / (double) n, spikesPerNeuron,
                neurons, sum.synapticOps / (double) n, net.macs(), (System.nanoTime() - start) / 1e9,
                (simulated - simulating) / 1e9);
    }

    /**
     * Splits by the stages' wall time on the first samples, whose input spikes are drawn anew in
     * each round: the first group's thread draws them, so that time counts towards the first stage.
     */
    static PipelinePlan balancedPlan(SpikingNetwork snn, Dataset data, int timesteps, long seed, int groups) {
        return snn.balancedPlan(() -> {
            List<SpikeStep> steps = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(8, data.size()); i++) {
                steps.addAll(data.get(i).steps(timesteps, seed + i).collectList().block());
            }
            return steps;
        }, groups);
    }

    private static long annCorrect(Network net, Dataset data, int threads) {
        List<long[]> perWorker = SampleWorkers.run(data.size(), threads, () -> new SampleWorkers.Worker<long[]>() {
            private final AnnForwardPass ann = new AnnForwardPass(net);
            private final long[] correct = new long[1];

            @Override
            public void process(int i) {
                Sample s = data.get(i);
                if (AnnForwardPass.argmax(ann.run(s.annInput())) == s.label()) {
                    correct[0]++;
                }
            }

            @Override
            public long[] result() {
                return correct;
            }
        }, ProgressListener.NONE);
        return perWorker.stream().mapToLong(c -> c[0]).sum();
    }

    private static final class Tally {
        final long[] correct;
        final long[] spikes;
        long annCorrect;
        long synapticOps;

        Tally(int checkpoints, int layers) {
            correct = new long[checkpoints];
            spikes = new long[layers];
        }

        void add(Tally o) {
            for (int i = 0; i < correct.length; i++) {
                correct[i] += o.correct[i];
            }
            for (int i = 0; i < spikes.length; i++) {
                spikes[i] += o.spikes[i];
            }
            annCorrect += o.annCorrect;
            synapticOps += o.synapticOps;
        }
    }
}
