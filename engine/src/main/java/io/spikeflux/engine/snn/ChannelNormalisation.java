package io.spikeflux.engine.snn;

import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.Node;

/**
 * Channel-wise normalisation folded into the weights: a channel whose lambda is {@code s} times
 * its layer's gets its input currents divided by {@code s} (so it fires at activation / lambda_c)
 * and the layers reading its spikes get those weights multiplied by {@code s} (so they see the
 * same currents as with one lambda per layer). Thresholds stay one per layer.
 */
final class ChannelNormalisation {

    private ChannelNormalisation() {
    }

    static LinearOperator apply(SpikingTopology topology, SnnParameters parameters, Node node, LinearOperator op) {
        if (!(op instanceof Conv2d || op instanceof Dense)) {
            return op; // pooling passes each channel on in its own units
        }
        int source = topology.spikeSource(node.inputs()[0]);
        float[] in = source >= 0 ? parameters.channelScale(source) : null;
        if (in != null) {
            int size = op.inputShape().isFlat() ? op.inputShape().size() : op.inputShape().channels();
            float[] scale = new float[size];
            for (int i = 0; i < size; i++) {
                scale[i] = in[i % in.length]; // a flattened map is channel-last: element i is channel i % C
            }
            float[] zero = new float[size];
            op = op instanceof Conv2d conv ? conv.withInputAffine(scale, zero) : ((Dense) op).withInputAffine(scale, zero);
        }
        int driven = topology.layerDrivenBy(node.output());
        float[] out = driven >= 0 ? parameters.channelScale(driven) : null;
        if (out != null) {
            float[] inverse = new float[out.length];
            for (int c = 0; c < out.length; c++) {
                inverse[c] = 1f / out[c];
            }
            float[] zero = new float[out.length];
            op = op instanceof Conv2d conv ? conv.withAffineOutput(inverse, zero) : ((Dense) op).withAffineOutput(inverse, zero);
        }
        return op;
    }
}
