package io.spikeflux.engine.snn;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Sample;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Network;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpikingNetworkTest {

    @Test
    void reactorStagesGiveTheSameSpikesAsDirectStepsOnAnyThread() {
        Network net = TestModels.load("fmnist_lenet");
        SpikingTopology topology = new SpikingTopology(net);
        SnnParameters params = SnnParameters.uniform(topology, 1f, ResetMode.ZERO);
        Sample sample = TestModels.fashionTest(1).get(0);
        List<SpikeStep> steps = sample.steps(64, 5).collectList().block();

        SpikingNetwork direct = new SpikingNetwork(topology, params);
        String[] countsPerStep = new String[steps.size()];
        for (SpikeStep s : steps) {
            direct.step(s);
            countsPerStep[s.step()] = Arrays.toString(direct.outputCounts());
        }

        SpikingNetwork staged = new SpikingNetwork(topology, params);
        StepVerifier.create(staged.process(Flux.fromIterable(steps).publishOn(Schedulers.parallel(), 4))
                        .map(n -> Arrays.toString(n.outputCounts())))
                .expectNextSequence(Arrays.asList(countsPerStep))
                .verifyComplete();
        assertEquals(direct.synapticOps(), staged.synapticOps());
        for (int l = 0; l < topology.layers().size(); l++) {
            assertEquals(direct.spikesOfLayer(l), staged.spikesOfLayer(l));
        }
        assertTrue(direct.spikesOfLayer(0) > 0, "the first layer fires");
    }

    @Test
    void layerOneIntegratesTheSpikesOfLayerZeroInTheSameStep() {
        // fmnist_lenet: with tiny thresholds every layer fires on the first step already.
        Network net = TestModels.load("fmnist_lenet");
        SpikingTopology topology = new SpikingTopology(net);
        SpikingNetwork snn = new SpikingNetwork(topology, SnnParameters.uniform(topology, 1e-6f, ResetMode.ZERO));
        float[] frame = TestModels.fashionTest(1).get(0).annInput();
        int[] all = new int[frame.length];
        int n = 0;
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] > 0.5f) {
                all[n++] = i;
            }
        }
        snn.step(new SpikeStep(0, n, all, null));
        for (int l = 0; l < topology.layers().size(); l++) {
            assertTrue(snn.spikesOfLayer(l) > 0, "layer " + topology.layers().get(l).name() + " fired in step 0");
        }
        assertEquals(0, snn.currentStep());
        snn.resetState();
        assertArrayEquals(new int[10], snn.outputCounts());
    }
}
