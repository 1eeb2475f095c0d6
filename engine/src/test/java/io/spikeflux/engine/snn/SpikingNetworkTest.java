package io.spikeflux.engine.snn;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.Sample;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Network;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpikingNetworkTest {

    private static final SpikingTopology LENET = new SpikingTopology(TestModels.load("fmnist_lenet"));
    private static final SpikingTopology RESNET = new SpikingTopology(TestModels.load("fmnist_resnet"));

    private static List<SpikeStep> steps(int sample, int t) {
        Sample s = TestModels.fashionTest(sample + 1).get(sample);
        return s.steps(t, 5 + sample).collectList().block();
    }

    private static String describe(StepOutcome o) {
        return o.step() + ":" + Arrays.toString(o.outputSpikes()) + "/" + o.prediction() + "/"
                + Arrays.toString(o.layerSpikes()) + "/" + o.synapticOps();
    }

    private static List<String> direct(SpikingNetwork net, List<SpikeStep> steps) {
        SpikingNetwork.Stepper stepper = net.stepper();
        List<String> out = new ArrayList<>();
        for (SpikeStep s : steps) {
            out.add(describe(stepper.step(s)));
        }
        return out;
    }

    @Test
    void reactorStagesGiveTheSameOutcomesAsDirectStepsOnAnyThread() {
        SpikingNetwork net = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1f, ResetMode.ZERO));
        List<SpikeStep> steps = steps(0, 64);
        List<String> expected = direct(net, steps);
        StepVerifier.create(net.process(Flux.fromIterable(steps).publishOn(Schedulers.parallel(), 4))
                        .map(SpikingNetworkTest::describe))
                .expectNextSequence(expected)
                .verifyComplete();
        assertTrue(expected.stream().anyMatch(e -> !e.contains("/[0, ")), "the first layer fires");
    }

    @Test
    void advancingInOneReusedFrameGivesTheOutcomesOfFreshSteps() {
        SpikingNetwork net = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1f, ResetMode.ZERO));
        List<SpikeStep> steps = new ArrayList<>(steps(0, 48));
        // a second sample after a reset: the reused frame must not carry counts across
        steps.addAll(steps(1, 48).stream().map(s -> s.step() == 0 ? s.withReset() : s).toList());
        List<String> expected = direct(net, steps);
        SpikingNetwork.Stepper stepper = net.stepper();
        int layers = LENET.layers().size();
        List<String> advanced = new ArrayList<>();
        for (SpikeStep s : steps) {
            int prediction = stepper.advance(s);
            int[] out = new int[stepper.outputSpikeCount()];
            for (int k = 0; k < out.length; k++) {
                out[k] = stepper.outputSpike(k);
            }
            int[] perLayer = new int[layers];
            for (int l = 0; l < layers; l++) {
                perLayer[l] = stepper.layerSpikes(l);
            }
            advanced.add(s.step() + ":" + Arrays.toString(out) + "/" + prediction + "/" + Arrays.toString(perLayer) + "/"
                    + stepper.synapticOps());
        }
        assertEquals(expected, advanced);
        assertTrue(expected.stream().anyMatch(e -> !e.contains(":[]/")), "the output layer fires");
    }

    @Test
    void subscribingTwiceGivesTwoIndependentSimulations() {
        SpikingNetwork net = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1f, ResetMode.ZERO));
        Flux<StepOutcome> run = net.process(Flux.fromIterable(steps(0, 32)));
        List<StepOutcome> first = run.collectList().block();
        List<StepOutcome> second = run.collectList().block();
        assertEquals(first.stream().map(SpikingNetworkTest::describe).toList(),
                second.stream().map(SpikingNetworkTest::describe).toList());
        // outcomes own their data: collecting does not yield N views of one mutable object
        assertNotSame(first.get(5).layerSpikes(), first.get(6).layerSpikes());
        // two subscriptions at once, on two threads, do not share membranes either
        List<List<String>> both = Flux.merge(run.map(SpikingNetworkTest::describe).collectList().subscribeOn(Schedulers.parallel()),
                run.map(SpikingNetworkTest::describe).collectList().subscribeOn(Schedulers.parallel())).collectList().block();
        assertEquals(both.get(0), both.get(1));
    }

    @Test
    void everyPipelineSplitGivesTheSameOutcomes() {
        SpikingNetwork net = new SpikingNetwork(RESNET, SnnParameters.uniform(RESNET, 0.5f, ResetMode.SUBTRACT));
        List<SpikeStep> steps = new ArrayList<>(steps(0, 24));
        steps.addAll(steps(1, 24));
        List<String> expected = direct(net, steps);
        int n = net.stageCount();
        // the residual network has skip connections crossing group boundaries
        for (PipelinePlan plan : List.of(PipelinePlan.startingAt(n, 0, n / 2), PipelinePlan.startingAt(n, 0, 3, 11, n - 2),
                PipelinePlan.balanced(net.profile(steps), 3))) {
            StepVerifier.create(net.process(Flux.fromIterable(steps), plan).map(SpikingNetworkTest::describe))
                    .expectNextSequence(expected)
                    .as(plan.toString())
                    .verifyComplete();
        }
    }

    @Test
    void aResetStepStartsFromFreshState() {
        SpikingNetwork net = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1f, ResetMode.ZERO));
        List<SpikeStep> a = steps(0, 16);
        List<SpikeStep> b = steps(1, 16);
        List<SpikeStep> both = new ArrayList<>(a);
        both.addAll(b);
        List<String> alone = direct(net, b);
        List<String> after = direct(net, both).subList(16, 32);
        assertEquals(alone, after);
    }

    @Test
    void layerOneIntegratesTheSpikesOfLayerZeroInTheSameStep() {
        // fmnist_lenet: with tiny thresholds every layer fires on the first step already.
        Network lenet = LENET.network();
        SpikingNetwork snn = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1e-6f, ResetMode.ZERO));
        float[] frame = TestModels.fashionTest(1).get(0).annInput();
        int[] all = new int[frame.length];
        int n = 0;
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] > 0.5f) {
                all[n++] = i;
            }
        }
        StepOutcome o = snn.stepper().step(new SpikeStep(0, n, all, null));
        for (int l = 0; l < LENET.layers().size(); l++) {
            assertTrue(o.layerSpikes()[l] > 0, "layer " + LENET.layers().get(l).name() + " fired in step 0");
        }
        assertTrue(o.outputSpikes().length > 0 && o.outputSpikes().length <= lenet.classCount());
    }

    @Test
    void neuronsAfterAJunctionFireAlikeWhetherOrNotTheirSummedCurrentIsWatched() {
        // unwatched, they add the junction's branches as they integrate; watched, the sum is
        // written out for the observer first: the same spikes in every layer at every step
        SpikingNetwork net = new SpikingNetwork(RESNET, SnnParameters.uniform(RESNET, 1f, ResetMode.ZERO));
        List<SpikeStep> steps = steps(2, 32);
        List<String> expected = direct(net, steps);
        for (int layer : RESNET.residualLayers()) {
            float[] max = new float[1];
            SpikingNetwork watched = net.observing(layer, () -> (current, size) -> {
                for (int i = 0; i < size; i++) {
                    max[0] = Math.max(max[0], current[i]);
                }
            });
            assertEquals(expected, direct(watched, steps), RESNET.layers().get(layer).name());
            assertTrue(max[0] > 0f, RESNET.layers().get(layer).name() + " got a current");
        }
        assertTrue(RESNET.residualLayers().size() >= 2);
    }

    @Test
    void probingStopsAtTheProbedLayer() {
        SpikingNetwork net = new SpikingNetwork(LENET, SnnParameters.uniform(LENET, 1f, ResetMode.ZERO));
        float[] max = new float[1];
        SpikingNetwork probed = net.probing(0, () -> (current, size) -> {
            for (int i = 0; i < size; i++) {
                max[0] = Math.max(max[0], current[i]);
            }
        });
        List<StepOutcome> out = probed.process(Flux.fromIterable(steps(0, 8))).collectList().block();
        assertTrue(max[0] > 0);
        assertEquals(-1, out.get(7).prediction(), "no output layer ran");
        assertArrayEquals(new int[]{0, 0, 0}, Arrays.copyOfRange(out.get(7).layerSpikes(), 1, 4));
    }
}
