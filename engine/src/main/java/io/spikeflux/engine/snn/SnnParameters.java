package io.spikeflux.engine.snn;

import java.util.Arrays;

/**
 * What turns an ANN into a particular SNN: a firing threshold per neural layer (in
 * {@link SpikingTopology} order), the reset mode, the initial membrane and, for models with
 * biases, the factor that puts each linear node's bias on the scale of spike rates.
 *
 * @param thresholds      per neural layer
 * @param reset           reset mode
 * @param initialFraction membranes start at this fraction of vth (0 = the paper, 0.5 = vth/2)
 * @param biasScale       per node index; 1 where a node has no bias
 */
public record SnnParameters(float[] thresholds, ResetMode reset, float initialFraction, float[] biasScale) {

    public SnnParameters {
        thresholds = thresholds.clone();
        biasScale = biasScale.clone();
        for (float t : thresholds) {
            if (!(t > 0f) || Float.isInfinite(t)) {
                throw new IllegalArgumentException("thresholds must be positive and finite: " + Arrays.toString(thresholds));
            }
        }
    }

    public static SnnParameters uniform(SpikingTopology topology, float threshold, ResetMode reset) {
        float[] t = new float[topology.layers().size()];
        Arrays.fill(t, threshold);
        float[] b = new float[topology.network().nodes().size()];
        Arrays.fill(b, 1f);
        return new SnnParameters(t, reset, 0f, b);
    }

    public SnnParameters withThreshold(int layer, float vth) {
        float[] t = thresholds.clone();
        t[layer] = vth;
        return new SnnParameters(t, reset, initialFraction, biasScale);
    }

    @Override
    public float[] thresholds() {
        return thresholds.clone();
    }

    public float threshold(int layer) {
        return thresholds[layer];
    }
}
