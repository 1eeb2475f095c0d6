package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.Add;
import io.spikeflux.engine.graph.Conv2d;
import io.spikeflux.engine.graph.Dense;
import io.spikeflux.engine.graph.LinearOperator;
import io.spikeflux.engine.graph.MaxPool;
import io.spikeflux.engine.graph.Network;
import io.spikeflux.engine.graph.Node;
import io.spikeflux.engine.graph.Relu;
import io.spikeflux.engine.graph.SpikeMapMaxima;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A converted network running on spikes: one operator stage per ANN node, applied in topological
 * order within each time step, so layer i+1 integrates what layer i emitted in the same step
 * (pseudo-simultaneous propagation). Linear stages are event-driven: only non-zero inputs
 * contribute.
 * <p>
 * Like a Reactor operator, an instance is what was assembled and never changes; the state of a
 * stream (membranes, buffers, counters) is created for each subscription to
 * {@link #process(Flux)}, so subscribing twice gives two independent simulations. A step whose
 * input says {@link SpikeStep#reset()} starts from fresh state (a new sample, or after an idle gap).
 */
public final class SpikingNetwork {

    /** The longest {@link #balancedPlan} profiles, waiting for the stages' times to settle. */
    private static final long BALANCING_LIMIT_MS = 4_000;
    /** Steps queued between two stage groups of a pipelined stream. */
    private static final int HAND_OVER_QUEUE = 64;

    private final SpikingTopology topology;
    private final SnnParameters parameters;
    private final LayerStage[] stages;
    /** All stages as assembled, also when this network is a probing prefix of them. */
    private final LayerStage[] assembled;
    private final int probedLayer;
    private final Supplier<? extends CurrentProbe> probes;
    private final Supplier<? extends SpikeProbe> spikeProbes;
    /** A layer whose current is shown to {@link #observers} before it fires as usual, or -1. */
    private final int observedLayer;
    private final Supplier<? extends CurrentProbe> observers;

    public SpikingNetwork(SpikingTopology topology, SnnParameters parameters) {
        this(topology, parameters, buildStages(topology, parameters), null, -1, null, null, -1, null);
    }

    private SpikingNetwork(SpikingTopology topology, SnnParameters parameters, LayerStage[] stages,
                           LayerStage[] assembled, int probedLayer, Supplier<? extends CurrentProbe> probes,
                           Supplier<? extends SpikeProbe> spikeProbes, int observedLayer,
                           Supplier<? extends CurrentProbe> observers) {
        this.topology = topology;
        this.parameters = parameters;
        this.stages = stages;
        this.assembled = assembled == null ? stages : assembled;
        this.probedLayer = probedLayer;
        this.probes = probes;
        this.spikeProbes = spikeProbes;
        this.observedLayer = observedLayer;
        this.observers = observers;
    }

    private static LayerStage[] buildStages(SpikingTopology topology, SnnParameters parameters) {
        Network net = topology.network();
        int layers = topology.layers().size();
        if (parameters.thresholds().length != layers) {
            throw new IllegalArgumentException("expected " + layers + " thresholds, got " + parameters.thresholds().length);
        }
        for (int l = 0; l < layers; l++) {
            float[] shift = parameters.currentShift(l);
            int channels = topology.currentShiftChannels(l);
            if (shift != null && shift.length != channels) {
                throw new IllegalArgumentException("layer " + topology.layers().get(l).name() + ": " + shift.length
                        + " current shifts, it takes " + Math.max(0, channels));
            }
            float[] initial = parameters.initialShift(l);
            var shape = net.shapeOf(topology.layers().get(l).inputValue());
            if (initial != null && initial.length != (shape.isFlat() ? shape.size() : shape.channels())) {
                throw new IllegalArgumentException("layer " + topology.layers().get(l).name() + ": " + initial.length
                        + " initial membrane shifts for " + (shape.isFlat() ? shape.size() : shape.channels())
                        + " channels");
            }
        }
        ActivationBuffers slots = new ActivationBuffers(net);
        List<LayerStage> stages = new ArrayList<>();
        int layerIndex = 0;
        int kernels = 0;
        int gates = 0;
        for (int i = 0; i < net.nodes().size(); i++) {
            Node n = net.nodes().get(i);
            if (n.operator() instanceof LinearOperator op) {
                LinearOperator scaled = ChannelNormalisation.apply(topology, parameters, n,
                        op.withBiasScaled(parameters.biasScale()[i]));
                int drives = topology.layerDrivenBy(n.output());
                for (int l = 0; l < layers; l++) {
                    if (topology.currentShiftNode(l) == i) {
                        drives = l;
                        float[] shift = parameters.currentShift(l);
                        if (shift != null) {
                            scaled = shifted(scaled, shift);
                        }
                    }
                }
                Node relu = i + 1 < net.nodes().size() ? net.nodes().get(i + 1) : null;
                if (drivesFirstLayerFromTable(net, n, scaled, relu)) {
                    // the first layer's neurons run the convolution by pattern table themselves
                    stages.add(new FireStage(layerIndex++, slots.slot(n.output()), slots.slot(relu.output()), scaled,
                            slots.slot(n.inputs()[0]), kernels++));
                    i++;
                    continue;
                }
                stages.add(new LinearStage(scaled, slots.slot(n.inputs()[0]), slots.slot(n.output()), kernels++, drives));
            } else if (n.operator() instanceof Add) {
                Node relu = i + 1 < net.nodes().size() ? net.nodes().get(i + 1) : null;
                if (relu != null && relu.operator() instanceof Relu && relu.inputs()[0] == n.output()
                        && onlyReader(net, n.output(), relu)) {
                    // the neurons add the branches as they integrate: one pass over the currents, not two
                    stages.add(FireStage.afterJunction(layerIndex++, slots.slot(n.inputs()[0]),
                            slots.slot(n.inputs()[1]), slots.slot(n.output()), slots.slot(relu.output())));
                    i++;
                    continue;
                }
                stages.add(new JunctionStage(slots.slot(n.inputs()[0]), slots.slot(n.inputs()[1]), slots.slot(n.output())));
            } else if (n.operator() instanceof MaxPool pool) {
                stages.add(new MaxPoolStage(pool, slots.slot(n.inputs()[0]), slots.slot(n.output()), gates++));
            } else if (n.operator() instanceof Relu) {
                stages.add(new FireStage(layerIndex++, slots.slot(n.inputs()[0]), slots.slot(n.output())));
            }
        }
        stages.add(new FireStage(layers - 1, slots.slot(net.outputValue()), -1));
        return stages.toArray(new LayerStage[0]);
    }

    /**
     * Whether node {@code n} is a convolution of the network's input (value 0) with a pattern
     * table ({@link Conv2d#hasSpikeMapTable()}) whose output only the ReLU right after it reads.
     */
    private static boolean drivesFirstLayerFromTable(Network net, Node n, LinearOperator op, Node relu) {
        return op instanceof Conv2d conv && conv.hasSpikeMapTable() && n.inputs()[0] == 0
                && relu != null && relu.operator() instanceof Relu && relu.inputs()[0] == n.output()
                && onlyReader(net, n.output(), relu);
    }

    /** Whether {@code reader} is the only node reading {@code value}, and it is not the network's output. */
    private static boolean onlyReader(Network net, int value, Node reader) {
        if (net.outputValue() == value) {
            return false;
        }
        for (Node other : net.nodes()) {
            for (int v : other.inputs()) {
                if (v == value && other != reader) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Adds a current per output channel, after any channel normalisation (bias correction). */
    private static LinearOperator shifted(LinearOperator op, float[] shift) {
        float[] ones = new float[shift.length];
        Arrays.fill(ones, 1f);
        if (op instanceof Conv2d conv) {
            return conv.withAffineOutput(ones, shift);
        }
        if (op instanceof Dense dense) {
            return dense.withAffineOutput(ones, shift);
        }
        throw new IllegalArgumentException("a current shift needs a Conv or dense layer, not " + op);
    }

    public SpikingTopology topology() {
        return topology;
    }

    public SnnParameters parameters() {
        return parameters;
    }

    /**
     * This network simulated only up to neural layer {@code layer}, whose input current each step
     * goes to a probe made for each subscription by {@code probes} (SPIKE-NORM calibrates layer
     * by layer: the layers above the probed one need not run, and the probed one does not fire).
     */
    public SpikingNetwork probing(int layer, Supplier<? extends CurrentProbe> probes) {
        Objects.requireNonNull(probes, "probes");
        return new SpikingNetwork(topology, parameters, prefixThrough(layer), assembled, layer, probes, null,
                observedLayer, observers);
    }

    /**
     * This network with neural layer {@code layer}'s input current also shown each step to an
     * observer made for each subscription by {@code observers}; the layer fires as usual (SPIKE-NORM
     * measures one layer while it simulates the next one past it).
     */
    public SpikingNetwork observing(int layer, Supplier<? extends CurrentProbe> observers) {
        Objects.requireNonNull(observers, "observers");
        if (layer == probedLayer) {
            throw new IllegalArgumentException("layer " + layer + " is probed: it does not fire");
        }
        return new SpikingNetwork(topology, parameters, stages, assembled, probedLayer, probes, spikeProbes, layer,
                observers);
    }

    /**
     * This network simulated only up to neural layer {@code layer}, which fires as usual and whose
     * spikes each step go to a probe made for each subscription by {@code probes}.
     */
    public SpikingNetwork counting(int layer, Supplier<? extends SpikeProbe> probes) {
        Objects.requireNonNull(probes, "probes");
        return new SpikingNetwork(topology, parameters, prefixThrough(layer), assembled, layer, null, probes,
                observedLayer, observers);
    }

    /** This network's stages up to and including neural layer {@code layer}'s fire stage. */
    private LayerStage[] prefixThrough(int layer) {
        int end = cutAfterLayer(layer);
        if (layer < 0 || end > stages.length) {
            throw new IllegalArgumentException("no neural layer " + layer + " in this network of " + topology.network().name());
        }
        return Arrays.copyOf(stages, end);
    }

    /**
     * When neural layer {@code layer} is fed directly by a convolution of the network's input that
     * has a {@link SpikeMapMaxima} table, that table (built from the convolution as this network
     * runs it: biases scaled, channels normalised); else null. SPIKE-NORM's pass for such a layer
     * needs only each step's largest current, which the table gives without the scatter.
     */
    public SpikeMapMaxima inputConvolutionMaxima(int layer) {
        if (assembled.length >= 1 && assembled[0] instanceof FireStage fused && fused.layer == layer
                && fused.inputConvolution instanceof Conv2d c) {
            return c.spikeMapMaxima();
        }
        if (assembled.length < 2 || !(assembled[0] instanceof LinearStage conv) || conv.reads()[0] != 0
                || !(assembled[1] instanceof FireStage fire) || fire.layer != layer
                || fire.reads()[0] != conv.writes() || !(conv.op instanceof Conv2d c)) {
            return null;
        }
        return c.spikeMapMaxima();
    }

    public int stageCount() {
        return stages.length;
    }

    /**
     * The cut just after neural layer {@code layer} fires, as a stage index of the assembled
     * network (0, before every stage, for {@code layer < 0}).
     */
    public int cutAfterLayer(int layer) {
        if (layer < 0) {
            return 0;
        }
        for (int s = 0; s < assembled.length; s++) {
            if (assembled[s] instanceof FireStage f && f.layer == layer) {
                return s + 1;
            }
        }
        throw new IllegalArgumentException("no neural layer " + layer + " in " + topology.network().name());
    }

    /**
     * The first stage whose behaviour depends on a neural layer's threshold or channel scales: its
     * fire stage or a linear stage driving it. A recording of a cut before it stays valid when
     * that layer is calibrated.
     */
    public int firstStageOf(int layer) {
        for (int s = 0; s < assembled.length; s++) {
            if ((assembled[s] instanceof FireStage f && f.layer == layer)
                    || (assembled[s] instanceof LinearStage l && l.drives == layer)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no neural layer " + layer + " in " + topology.network().name());
    }

    /**
     * One worker's state for running this network's stages from stage {@code from} to its end,
     * reading what crosses the cut at {@code from} from a recording (or the input, at 0) and
     * recording what crosses each cut of {@code records} (ascending, after {@code from} and before
     * the end).
     */
    public SegmentStepper segment(int from, int... records) {
        return new SegmentStepper(this, from, records);
    }

    /** Runs the steps through all stages on the subscribing thread. */
    public Flux<StepOutcome> process(Flux<SpikeStep> steps) {
        return process(steps, PipelinePlan.single(stages.length));
    }

    /**
     * Runs the steps through the stages, each group of the plan on a thread of its own (created
     * per subscription, released when it ends), handing each step's values from one group to the
     * next in frames the receiver owns. The outcomes are the same for every plan.
     */
    public Flux<StepOutcome> process(Flux<SpikeStep> steps, PipelinePlan plan) {
        Objects.requireNonNull(steps, "steps");
        if (plan.stages() != stages.length) {
            throw new IllegalArgumentException("plan for " + plan.stages() + " stages, network has " + stages.length);
        }
        int slots = topology.network().valueCount();
        int layers = topology.layers().size();
        return Flux.defer(() -> {
            StageGroup first = new StageGroup(this, plan, 0);
            if (plan.groups() == 1) {
                return steps.map(s -> first.run(new StepFrame(s, slots, layers)).outcome());
            }
            // Every group gets a thread with a queue in front of it. A request travelling upstream
            // then only adds demand for the thread before; without that queue a synchronous
            // upstream would run on whichever thread requested, i.e. every group on the last one.
            // hide() keeps publishOn from fusing with (and so polling) the map before it.
            Scheduler[] threads = new Scheduler[plan.groups()];
            threads[0] = Schedulers.newSingle("spikeflux-stages-0", true);
            Flux<StepFrame> pipelined = steps.publishOn(threads[0], HAND_OVER_QUEUE)
                    .map(s -> first.run(new StepFrame(s, slots, layers)));
            for (int g = 1; g < plan.groups(); g++) {
                StageGroup group = new StageGroup(this, plan, g);
                threads[g] = Schedulers.newSingle("spikeflux-stages-" + g, true);
                pipelined = pipelined.hide().publishOn(threads[g], HAND_OVER_QUEUE).map(group::run);
            }
            return pipelined.map(StepFrame::outcome).doFinally(signal -> {
                for (Scheduler t : threads) {
                    t.dispose();
                }
            });
        });
    }

    /**
     * Wall time per stage over the given steps, run once on the calling thread: what
     * {@link PipelinePlan#balanced} splits by.
     */
    public long[] profile(List<SpikeStep> steps) {
        PipelinePlan all = PipelinePlan.single(stages.length);
        StageGroup group = new StageGroup(this, all, 0);
        long[] nanos = new long[stages.length];
        int slots = topology.network().valueCount();
        int layers = topology.layers().size();
        for (SpikeStep s : steps) {
            group.run(new StepFrame(s, slots, layers), nanos);
        }
        return nanos;
    }

    /**
     * A split into {@code groups} by {@link #profile} on the steps {@code input} gives, drawn and
     * profiled again each round until the times settle ({@link PipelinePlan#settled}) or for at
     * most {@value #BALANCING_LIMIT_MS} ms: a split taken from the second round, while C2 was still
     * compiling the stages, cost VGG a third of its speed in about half of the runs. The time
     * {@code input} takes counts towards the first stage, whose thread draws a stream's input.
     */
    public PipelinePlan balancedPlan(Supplier<List<SpikeStep>> input, int groups) {
        return PipelinePlan.settled(() -> {
            long start = System.nanoTime();
            List<SpikeStep> steps = input.get();
            long drawing = System.nanoTime() - start;
            long[] cost = profile(steps);
            cost[0] += drawing;
            return cost;
        }, groups, BALANCING_LIMIT_MS * 1_000_000L);
    }

    /** Steps one stream synchronously, without Reactor: for benchmarks and tests of the stages themselves. */
    public Stepper stepper() {
        return new Stepper(new StageGroup(this, PipelinePlan.single(stages.length), 0), topology.network().valueCount(),
                topology.layers().size());
    }

    /**
     * One stream's state, stepped by hand; not thread-safe. {@link #step} returns an outcome that
     * owns its arrays; {@link #advance} allocates nothing and leaves the step's results readable
     * until the next step.
     */
    public static final class Stepper {
        private final StageGroup group;
        private final int slots;
        private final int layers;
        private final StepFrame last;

        private Stepper(StageGroup group, int slots, int layers) {
            this.group = group;
            this.slots = slots;
            this.layers = layers;
            this.last = new StepFrame(null, slots, layers);
        }

        public StepOutcome step(SpikeStep input) {
            return group.run(new StepFrame(input, slots, layers)).outcome();
        }

        /**
         * Runs one step in a frame reused for every step; returns the prediction (as
         * {@link StepOutcome#prediction()}).
         */
        public int advance(SpikeStep input) {
            last.begin(input);
            group.run(last);
            return last.prediction;
        }

        /** The synaptic operations of the last {@link #advance advanced} step. */
        public long synapticOps() {
            return last.synapticOps;
        }

        /** Spikes of a neural layer in the last advanced step. */
        public int layerSpikes(int layer) {
            return last.layerSpikes[layer];
        }

        /** How many output neurons fired in the last advanced step. */
        public int outputSpikeCount() {
            return last.outputCount();
        }

        /** The {@code k}-th class (ascending) whose output neuron fired in the last advanced step. */
        public int outputSpike(int k) {
            if (k < 0 || k >= last.outputCount()) {
                throw new IndexOutOfBoundsException("output spike " + k + " of " + last.outputCount());
            }
            return last.outputSpike(k);
        }
    }

    LayerStage[] stages() {
        return stages;
    }

    LayerStage[] assembledStages() {
        return assembled;
    }

    int probedLayer() {
        return probedLayer;
    }

    CurrentProbe newProbe() {
        return probes == null ? null : probes.get();
    }

    int observedLayer() {
        return observedLayer;
    }

    CurrentProbe newObserver() {
        return observers == null ? null : observers.get();
    }

    SpikeProbe newSpikeProbe() {
        return spikeProbes == null ? null : spikeProbes.get();
    }
}
