package io.spikeflux.engine.snn;

import java.util.function.UnaryOperator;

/** One operator stage of a spiking network, applied to the network's state once per time step. */
abstract class LayerStage implements UnaryOperator<SpikingNetwork> {

    @Override
    public final SpikingNetwork apply(SpikingNetwork net) {
        run(net);
        return net;
    }

    abstract void run(SpikingNetwork net);
}
