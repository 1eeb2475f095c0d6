package io.spikeflux.engine.eval;

import io.spikeflux.engine.ann.AnnForwardPass;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.exec.SampleWorkers;
import io.spikeflux.engine.graph.Network;

import java.util.List;

/** ANN accuracy of the imported model on a dataset: the reference for every conversion. */
public final class AnnEvaluator {

    private AnnEvaluator() {
    }

    /** Result of an ANN evaluation; {@code predictions[i]} is the class chosen for sample i. */
    public record Result(int samples, int correct, int[] predictions, double wallSeconds) {
        public double accuracy() {
            return samples == 0 ? 0 : (double) correct / samples;
        }
    }

    public static Result evaluate(Network network, Dataset data, int threads, ProgressListener progress) {
        long start = System.nanoTime();
        int[] predictions = new int[data.size()];
        List<Integer> correct = SampleWorkers.run(data.size(), threads, () -> new SampleWorkers.Worker<Integer>() {
            private final AnnForwardPass ann = new AnnForwardPass(network);
            private int hits;

            @Override
            public void process(int i) {
                var sample = data.get(i);
                predictions[i] = AnnForwardPass.argmax(ann.run(sample.annInput()));
                if (predictions[i] == sample.label()) {
                    hits++;
                }
            }

            @Override
            public Integer result() {
                return hits;
            }
        }, progress);
        int total = correct.stream().mapToInt(Integer::intValue).sum();
        return new Result(data.size(), total, predictions, (System.nanoTime() - start) / 1e9);
    }
}
