package io.spikeflux.engine.snn;

/**
 * One operator stage of a spiking network. Built once when the network is assembled and never
 * changed: everything a stage writes lives in the {@link StageGroup} of the subscription running it.
 */
abstract class LayerStage {

    /** Runs this stage for one time step on a subscription's state. */
    abstract void run(StageGroup state);

    /** Buffer slots this stage reads. */
    abstract int[] reads();

    /** Buffer slot this stage writes, or -1. */
    abstract int writes();
}
