package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Reshape;
import io.spikeflux.engine.kernel.Kernels;

import java.util.Arrays;

/**
 * The values of one time step: per value a dense array and, where known, the list of its
 * non-zero indices, so linear stages visit only those. A reshape shares its input's slot.
 */
final class ActivationBuffers {

    private static final Kernels KERNELS = Kernels.get();

    /** Storage slot of each value. */
    private final int[] slotOf;
    private final float[][] values;
    private final int[][] active;
    /** Number of active indices per slot, or -1 when the slot is dense and unindexed. */
    private final int[] activeCount;

    ActivationBuffers(Network net) {
        slotOf = new int[net.valueCount()];
        values = new float[net.valueCount()][];
        active = new int[net.valueCount()][];
        activeCount = new int[net.valueCount()];
        for (int v = 0; v < slotOf.length; v++) {
            Node producer = net.producerOf(v);
            slotOf[v] = producer != null && producer.operator() instanceof Reshape ? slotOf[producer.inputs()[0]] : v;
            if (slotOf[v] == v) {
                int size = net.shapeOf(v).size();
                values[v] = new float[size];
                active[v] = new int[size];
            }
        }
    }

    int slot(int value) {
        return slotOf[value];
    }

    float[] values(int slot) {
        return values[slot];
    }

    /** Non-zero indices of a slot, found by a scan when the slot was written densely. */
    int[] activeIndices(int slot) {
        if (activeCount[slot] < 0) {
            activeCount[slot] = KERNELS.nonZeroIndices(values[slot], values[slot].length, active[slot]);
        }
        return active[slot];
    }

    int activeCount(int slot) {
        activeIndices(slot);
        return activeCount[slot];
    }

    /** Marks a slot as written densely (currents): its index list must be rebuilt when read. */
    void markDense(int slot) {
        activeCount[slot] = -1;
    }

    /** Replaces a slot's spikes (value 1 at the given indices, 0 elsewhere). */
    void setSpikes(int slot, int[] spikes, int n) {
        float[] s = values[slot];
        int[] idx = active[slot];
        int old = activeCount[slot];
        for (int k = 0; k < old; k++) {
            s[idx[k]] = 0f;
        }
        for (int k = 0; k < n; k++) {
            s[spikes[k]] = 1f;
        }
        System.arraycopy(spikes, 0, idx, 0, n);
        activeCount[slot] = n;
    }

    /** Replaces a slot's values: {@code values[indices[k]]} at the indices, 0 elsewhere. */
    void setSparse(int slot, int[] indices, float[] source, int n) {
        float[] s = values[slot];
        int[] idx = active[slot];
        int old = activeCount[slot];
        if (old < 0) {
            Arrays.fill(s, 0f);
        } else {
            for (int k = 0; k < old; k++) {
                s[idx[k]] = 0f;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = indices[k];
            s[i] = source[i];
            idx[k] = i;
        }
        activeCount[slot] = n;
    }

    /**
     * Puts one step's spikes (the network input, or a value handed over from an earlier stage
     * group) into a slot, clearing the previous step's in O(previous spikes).
     */
    void load(int slot, SpikeStep input) {
        float[] in = values[slot];
        int[] idx = active[slot];
        int n = activeCount[slot];
        if (n < 0) {
            Arrays.fill(in, 0f);
        } else {
            for (int k = 0; k < n; k++) {
                in[idx[k]] = 0f;
            }
        }
        activeCount[slot] = input.addTo(in, idx);
    }

    /** A copy of a slot's non-zero values that the next stage group owns. */
    SpikeStep snapshot(int slot, int step) {
        int[] idx = activeIndices(slot);
        int n = activeCount[slot];
        float[] x = values[slot];
        float[] v = null;
        for (int k = 0; k < n && v == null; k++) {
            if (x[idx[k]] != 1f) {
                v = new float[n];
            }
        }
        if (v != null) {
            for (int k = 0; k < n; k++) {
                v[k] = x[idx[k]];
            }
        }
        return new SpikeStep(step, n, Arrays.copyOf(idx, n), v);
    }

    void clear() {
        for (int v = 0; v < values.length; v++) {
            if (values[v] != null) {
                Arrays.fill(values[v], 0f);
                activeCount[v] = 0;
            }
        }
    }
}
