package io.spikeflux.engine.snn;

import io.spikeflux.engine.kernel.Kernels;

import java.util.Arrays;

/**
 * A layer of integrate-and-fire neurons: {@code v += I}; when {@code v >= vth} the neuron spikes
 * and resets (to zero, or by subtracting {@code vth}). No leak, no refractory period.
 */
public final class IntegrateAndFireLayer {

    private static final Kernels KERNELS = Kernels.get();
    /** Fewer than one spike per this many neurons in the last step: the sparse kernel. */
    private static final int SPARSE_BELOW = 64;

    private final String name;
    private final ResetMode reset;
    private final float[] membrane;
    private final int[] spikes;
    private final float threshold;
    private int spikeCount;
    /**
     * Every membrane is below the threshold, and stays so from step to step: reset to zero, a
     * positive threshold and initial membranes below it. A neuron without current then neither
     * changes nor fires, so pattern-table pixels without spikes in their window need no work.
     */
    private boolean belowThreshold;

    public IntegrateAndFireLayer(String name, int size, float threshold, ResetMode reset) {
        this.name = name;
        this.reset = reset;
        this.membrane = new float[size];
        this.spikes = new int[size];
        this.threshold = threshold;
    }

    public String name() {
        return name;
    }

    public int size() {
        return membrane.length;
    }

    public float threshold() {
        return threshold;
    }

    /** Starts a new sample: membranes at {@code fraction * vth}, no spikes. */
    public void resetState(float fraction) {
        Arrays.fill(membrane, fraction * threshold);
        spikeCount = 0;
        belowThreshold = staysBelowThreshold();
    }

    /**
     * Starts a new sample with membranes at {@code (fraction + perChannel[c]) * vth} for the
     * neurons of channel c (channel-last: neuron i is in channel {@code i % perChannel.length}).
     */
    public void resetState(float fraction, float[] perChannel) {
        if (perChannel == null) {
            resetState(fraction);
            return;
        }
        int channels = perChannel.length;
        for (int i = 0; i < membrane.length; i++) {
            membrane[i] = (fraction + perChannel[i % channels]) * threshold;
        }
        spikeCount = 0;
        belowThreshold = staysBelowThreshold();
    }

    private boolean staysBelowThreshold() {
        if (reset != ResetMode.ZERO || !(threshold > 0f)) {
            return false;
        }
        for (float m : membrane) {
            if (!(m < threshold)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Integrates one step's input current and records which neurons fired.
     *
     * @return the number of spikes, whose indices are {@link #spikes()}[0..n)
     */
    public int integrate(float[] current) {
        // the kernel for the density of the last step: both give the same floats and spikes
        boolean subtract = reset == ResetMode.SUBTRACT;
        spikeCount = (long) spikeCount * SPARSE_BELOW < membrane.length
                ? KERNELS.integrateSparse(membrane, current, membrane.length, threshold, subtract, spikes)
                : KERNELS.integrate(membrane, current, membrane.length, threshold, subtract, spikes);
        return spikeCount;
    }

    /**
     * {@link #integrate} of the current {@code a + b}, summed element by element as it is read:
     * the neurons after a residual junction (the same floats as summing first), always by the
     * dense kernel.
     */
    public int integrateSum(float[] a, float[] b) {
        spikeCount = KERNELS.integrateSum(membrane, a, b, membrane.length, threshold, reset == ResetMode.SUBTRACT,
                spikes);
        return spikeCount;
    }

    /**
     * {@link #integrate} with neuron {@code p * width + c}'s current at {@code table[rows[p] * width + c]};
     * {@code zeroRow} is a row of zeros (-1: none), whose pixels are skipped when that is exact.
     */
    public int integrateRows(float[] table, int[] rows, int pixels, int width, int zeroRow) {
        spikeCount = KERNELS.integrateRows(membrane, table, rows, pixels, width, belowThreshold ? zeroRow : -1,
                threshold, reset == ResetMode.SUBTRACT, spikes);
        return spikeCount;
    }

    public int[] spikes() {
        return spikes;
    }

    public int spikeCount() {
        return spikeCount;
    }

    public float membrane(int i) {
        return membrane[i];
    }
}
