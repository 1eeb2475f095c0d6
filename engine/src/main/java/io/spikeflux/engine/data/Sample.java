package io.spikeflux.engine.data;

import io.spikeflux.engine.encode.SpikeStep;
import reactor.core.publisher.Flux;

/** One labelled input, as the ANN sees it and as the SNN sees it step by step. */
public interface Sample {

    int label();

    /** ANN input, channel-last. */
    float[] annInput();

    /** SNN input steps; frames draw Poisson spikes from {@code seed}, recordings ignore it. */
    Flux<SpikeStep> steps(int timesteps, long seed);
}
