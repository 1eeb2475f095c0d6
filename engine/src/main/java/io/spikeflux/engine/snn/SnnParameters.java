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
 * @param channelScale    per neural layer, null or one factor per channel: channel c behaves as if
 *                        its layer's lambda were {@code channelScale[c]} times the layer's, i.e. the
 *                        currents into it are divided by that and the weights reading its spikes
 *                        multiplied (channel-wise normalisation; null everywhere for layer-wise)
 * @param currentShift    per neural layer, null or one current per channel added to the layer's
 *                        input every step (bias correction with the SNN in the loop, Li et al. 2021)
 * @param initialShift    per neural layer, null or one fraction of vth per channel added to the
 *                        initial membrane (potential correction, Li et al. 2021)
 */
public record SnnParameters(float[] thresholds, ResetMode reset, float initialFraction, float[] biasScale,
                            float[][] channelScale, float[][] currentShift, float[][] initialShift) {

    public SnnParameters {
        thresholds = thresholds.clone();
        biasScale = biasScale.clone();
        channelScale = channelScale == null ? new float[thresholds.length][] : channelScale.clone();
        currentShift = perLayer(currentShift, thresholds.length, "current shifts");
        initialShift = perLayer(initialShift, thresholds.length, "initial membrane shifts");
        if (channelScale.length != thresholds.length) {
            throw new IllegalArgumentException("channel scales for " + channelScale.length + " layers, thresholds for "
                    + thresholds.length);
        }
        for (float[] c : channelScale) {
            for (float f : c == null ? new float[0] : c) {
                if (!(f > 0f) || Float.isInfinite(f)) {
                    throw new IllegalArgumentException("channel scales must be positive and finite");
                }
            }
        }
        for (float t : thresholds) {
            if (!(t > 0f) || Float.isInfinite(t)) {
                throw new IllegalArgumentException("thresholds must be positive and finite: " + Arrays.toString(thresholds));
            }
        }
    }

    /** Layer-wise parameters (one lambda per layer). */
    public SnnParameters(float[] thresholds, ResetMode reset, float initialFraction, float[] biasScale) {
        this(thresholds, reset, initialFraction, biasScale, null, null, null);
    }

    /** Parameters without corrections. */
    public SnnParameters(float[] thresholds, ResetMode reset, float initialFraction, float[] biasScale,
                         float[][] channelScale) {
        this(thresholds, reset, initialFraction, biasScale, channelScale, null, null);
    }

    private static float[][] perLayer(float[][] values, int layers, String what) {
        float[][] v = values == null ? new float[layers][] : values.clone();
        if (v.length != layers) {
            throw new IllegalArgumentException(what + " for " + v.length + " layers, thresholds for " + layers);
        }
        for (float[] c : v) {
            for (float f : c == null ? new float[0] : c) {
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException(what + " must be finite");
                }
            }
        }
        return v;
    }

    /** The per-channel fraction of vth added to a layer's initial membrane, or null. */
    public float[] initialShift(int layer) {
        return initialShift[layer];
    }

    @Override
    public float[][] initialShift() {
        return initialShift.clone();
    }

    /** The same with one layer's per-channel initial membrane shift, or none, with null. */
    public SnnParameters withInitialShift(int layer, float[] shift) {
        float[][] c = initialShift.clone();
        c[layer] = shift == null ? null : shift.clone();
        return new SnnParameters(thresholds, reset, initialFraction, biasScale, channelScale, currentShift, c);
    }

    /** The per-channel current added to a layer's input every step, or null. */
    public float[] currentShift(int layer) {
        return currentShift[layer];
    }

    @Override
    public float[][] currentShift() {
        return currentShift.clone();
    }

    /** The same with one layer's per-channel current shift, or none, with null. */
    public SnnParameters withCurrentShift(int layer, float[] shift) {
        float[][] c = currentShift.clone();
        c[layer] = shift == null ? null : shift.clone();
        return new SnnParameters(thresholds, reset, initialFraction, biasScale, channelScale, c, initialShift);
    }

    /** The channel scales of a layer, or null when it is normalised layer-wise. */
    public float[] channelScale(int layer) {
        return channelScale[layer];
    }

    @Override
    public float[][] channelScale() {
        return channelScale.clone();
    }

    public boolean isChannelWise() {
        for (float[] c : channelScale) {
            if (c != null) {
                return true;
            }
        }
        return false;
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
        return new SnnParameters(t, reset, initialFraction, biasScale, channelScale, currentShift, initialShift);
    }

    /** The same with one layer's channels scaled (channel-wise normalisation), or not, with null. */
    public SnnParameters withChannelScale(int layer, float[] scale) {
        float[][] c = channelScale.clone();
        c[layer] = scale == null ? null : scale.clone();
        return new SnnParameters(thresholds, reset, initialFraction, biasScale, c, currentShift, initialShift);
    }

    @Override
    public float[] thresholds() {
        return thresholds.clone();
    }

    public float threshold(int layer) {
        return thresholds[layer];
    }
}
