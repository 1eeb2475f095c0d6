package io.spikeflux.engine.snn;

/** Integrate-and-fire neurons where the ANN had a ReLU (or the output layer, {@code outSlot < 0}). */
final class FireStage extends LayerStage {

    final int layer;
    private final int in;
    private final int out;

    FireStage(int layer, int inSlot, int outSlot) {
        this.layer = layer;
        this.in = inSlot;
        this.out = outSlot;
    }

    @Override
    void run(StageGroup state) {
        float[] current = state.buffers().values(in);
        IntegrateAndFireLayer neurons = state.neurons(layer);
        if (state.probe(layer, current, neurons.size())) {
            return; // a probed layer is the last stage run: nothing reads what it would fire
        }
        int n = neurons.integrate(current);
        state.probeSpikes(layer, neurons.spikes(), n);
        state.countSpikes(layer, neurons.spikes(), n, out < 0);
        if (out >= 0) {
            state.buffers().setSpikes(out, neurons.spikes(), n);
        }
    }

    boolean isOutput() {
        return out < 0;
    }

    @Override
    int[] reads() {
        return new int[]{in};
    }

    @Override
    int writes() {
        return out;
    }
}
