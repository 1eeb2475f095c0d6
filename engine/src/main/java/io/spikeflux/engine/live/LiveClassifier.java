package io.spikeflux.engine.live;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.TensorShape;
import io.spikeflux.engine.snn.PipelinePlan;
import io.spikeflux.engine.snn.SnnParameters;
import io.spikeflux.engine.snn.SpikingNetwork;
import io.spikeflux.engine.snn.SpikingTopology;
import io.spikeflux.engine.snn.StepOutcome;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live classification: per sensor, events are binned by sensor time, run through the same
 * integrate-and-fire stages as offline evaluation, and the output spikes of a rolling window are
 * turned into decisions every E ms of sensor time and whenever the top class changes. The
 * network is never reset between samples; optionally after an idle gap.
 */
public final class LiveClassifier {

    private final SpikingTopology topology;
    private final SnnParameters parameters;
    private final SpikingNetwork network;
    private final List<String> classNames;
    private final LiveOptions options;
    private final Scheduler clock;
    private final LongSupplier nanoTime;
    /**
     * The clock is the wall clock: a sensor's step-closing timer then runs on its own engine
     * thread, which saves a thread hand-off (tens to hundreds of microseconds on a busy machine)
     * per decided step.
     */
    private final boolean timersOnEngineThreads;
    private static final Object TICK = new Object();
    private static final Object END = new Object();
    private final AtomicLong lateEvents = new AtomicLong();
    private final AtomicLong idleResets = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private final FleetOptions fleet;
    /** How each sensor's network stages are split over threads of their own, or null: on its engine thread. */
    private final PipelinePlan plan;
    private final FleetCounters fleetCounters = new FleetCounters();
    /** Binners of open pipelines, for the outside-events count; closed ones fold into retiredOutside. */
    private final java.util.Queue<SensorTimeBinner> binners = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong retiredOutside = new AtomicLong();

    public LiveClassifier(SpikingTopology topology, SnnParameters parameters, LiveOptions options) {
        this(topology, parameters, options, FleetOptions.defaults(), Schedulers.parallel(), System::nanoTime);
    }

    /** Time comes from {@code clock} alone (e.g. a virtual-time scheduler in tests). */
    public LiveClassifier(SpikingTopology topology, SnnParameters parameters, LiveOptions options, Scheduler clock) {
        this(topology, parameters, options, FleetOptions.defaults(), clock);
    }

    /** Time comes from {@code clock} alone (e.g. a virtual-time scheduler in tests). */
    public LiveClassifier(SpikingTopology topology, SnnParameters parameters, LiveOptions options, FleetOptions fleet,
                          Scheduler clock) {
        this(topology, parameters, options, fleet, clock, () -> clock.now(TimeUnit.NANOSECONDS));
    }

    /**
     * @param clock    runs the step-closing timers and eviction ticks
     * @param nanoTime the clock of the packets' arrival stamps ({@link EventPacket#arrivalNanos()}):
     *                 {@code System::nanoTime} for packets from the receivers. Latency is measured
     *                 on it too. Scheduler time is not used for this: real schedulers tell
     *                 milliseconds since the epoch, not {@code nanoTime}.
     */
    public LiveClassifier(SpikingTopology topology, SnnParameters parameters, LiveOptions options, FleetOptions fleet,
                          Scheduler clock, LongSupplier nanoTime) {
        this(topology, parameters, options, fleet, clock, nanoTime, false, null);
    }

    /** A classifier on the wall clock, for packets from the receivers: what {@code live} and the demo run. */
    public static LiveClassifier inRealTime(SpikingTopology topology, SnnParameters parameters, LiveOptions options,
                                            FleetOptions fleet) {
        return new LiveClassifier(topology, parameters, options, fleet, Schedulers.parallel(), System::nanoTime, true,
                null);
    }

    private LiveClassifier(SpikingTopology topology, SnnParameters parameters, LiveOptions options, FleetOptions fleet,
                           Scheduler clock, LongSupplier nanoTime, boolean timersOnEngineThreads,
                           PipelinePlan measuredPlan) {
        this.nanoTime = nanoTime;
        this.timersOnEngineThreads = timersOnEngineThreads;
        this.clock = clock;
        this.topology = topology;
        this.parameters = parameters;
        this.network = new SpikingNetwork(topology, parameters);
        this.plan = measuredPlan != null || fleet.stageGroups() <= 1 ? measuredPlan
                : balancedPlan(network, topology.network().inputShape().size(), fleet.stageGroups());
        this.classNames = topology.network().classNames();
        this.options = options;
        this.fleet = fleet;
        int channels = topology.network().inputShape().channels();
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("model '" + topology.network().name() + "' takes " + channels
                    + " input channels; live streams feed 2 (ON/OFF event models) or 1 (frame models: a Poisson "
                    + "camera's ON/OFF events are its signed spikes)");
        }
    }

    /**
     * Classifies packets of many sensors: one pipeline (and network state) per sensor id, sharded
     * over the engine threads, bounded in number, evicted when silent, and isolated from each
     * other's floods and failures (see {@link FleetOptions}; counts in {@link #fleetCounters()}).
     * An error of the packet stream itself ends the whole flux.
     */
    public Flux<Classification> classify(Flux<EventPacket> packets) {
        return Flux.defer(() -> {
            SensorFleet sensors = new SensorFleet(this, fleet, clock, fleetCounters);
            Flux<Object> signals = packets.cast(Object.class).concatWith(Mono.just(END));
            if (fleet.evictAfterMs() > 0) {
                Duration period = Duration.ofMillis(Math.max(1, Math.min(1000, fleet.evictAfterMs() / 4)));
                signals = Flux.merge(signals, Flux.interval(period, period, clock).onBackpressureDrop().map(t -> TICK));
            }
            return signals.takeWhile(o -> o != END)
                    .<Flux<Classification>>handle((o, sink) -> {
                        if (o == TICK) {
                            sensors.evictIdle();
                        } else {
                            sensors.route((EventPacket) o, sink);
                        }
                    })
                    .doOnComplete(sensors::closeAll)
                    // the router bounds the sensors; flatMap must never hold packets back while
                    // evicted lanes are still finishing, so its concurrency is unbounded
                    .flatMap(lane -> lane, Integer.MAX_VALUE, 32)
                    .doFinally(signal -> {
                        sensors.closeAll();
                        sensors.dispose();
                    });
        });
    }

    /** Classifies the packets of one sensor on the subscribing thread. */
    public Flux<Classification> classifySensor(String sensorId, Flux<EventPacket> packets) {
        return classifySensor(sensorId, packets, Schedulers.immediate());
    }

    /**
     * Classifies the packets of one sensor; binning, the network and decisions run on
     * {@code worker}, and so do the step-closing timer's ticks, so one thread at a time touches
     * the pipeline.
     */
    public Flux<Classification> classifySensor(String sensorId, Flux<EventPacket> packets, Scheduler worker) {
        return classifySensor(sensorId, packets, worker, null);
    }

    /**
     * {@link #classifySensor(String, Flux, Scheduler)} for packets counted into {@code queued}
     * (events) when they arrived: each is counted out as it is binned, and while any are still
     * queued the sensor-clock timer closes no step. Those packets arrived in time and close the
     * steps they reach themselves; the timer is for a camera gone quiet, not for a pipeline behind.
     */
    Flux<Classification> classifySensor(String sensorId, Flux<EventPacket> packets, Scheduler worker,
                                        java.util.concurrent.atomic.AtomicLong queued) {
        return Flux.defer(() -> {
            Pipeline pipeline = new Pipeline(sensorId,
                    timersOnEngineThreads && worker != Schedulers.immediate() ? worker : clock);
            Flux<Object> signals = packets.cast(Object.class);
            long marginNanos = options.closeMarginUs() * 1000L;
            if (marginNanos > 0) {
                signals = Flux.merge(signals.concatWith(Mono.just(END)), pipeline.ticks.asFlux()).takeWhile(o -> o != END);
            }
            Flux<SpikeStep> steps = signals.publishOn(worker, 32)
                    .concatMapIterable(o -> {
                        List<SpikeStep> done;
                        if (o == TICK) {
                            if (queued != null && queued.get() > 0) {
                                pipeline.waitForQueue();
                                return List.of();
                            }
                            done = pipeline.binner.closeIfDue(nanoTime.getAsLong(), marginNanos);
                        } else {
                            EventPacket p = (EventPacket) o;
                            if (queued != null) {
                                pipeline.binned(queued.addAndGet(-p.size()));
                            }
                            try {
                                done = tooLate(p) ? List.of() : pipeline.accept(p);
                            } finally {
                                // binned (the steps own their counts): the packet is read for good
                                p.release();
                            }
                        }
                        if (marginNanos > 0) {
                            pipeline.scheduleClose(marginNanos);
                        }
                        return done;
                    })
                    // packets still queued when the pipeline ends were never read: their arrays go back
                    .doOnDiscard(EventPacket.class, EventPacket::release);
            Flux<StepOutcome> outcomes = plan == null ? network.process(steps.map(pipeline::beforeStep))
                    // the stage groups run on threads of their own; the outcomes (immutable) come back
                    // to the sensor's engine thread, which alone touches its pipeline's bookkeeping
                    : network.process(steps.map(pipeline::beforeStep), plan).publishOn(worker, 32);
            return outcomes
                    .<Classification>handle((outcome, sink) -> {
                        Classification c = pipeline.afterStep(outcome);
                        if (c != null) {
                            sink.next(c);
                        }
                    })
                    // before the terminal signal travels on, so a finished classify() has released everything
                    .doOnTerminate(pipeline::retire)
                    .doOnCancel(pipeline::retire);
        });
    }

    /**
     * Whether a packet waited longer than the maximum lag for its pipeline: under overload the oldest
     * work is shed (and counted), so decisions stay within the lag of the camera.
     */
    private boolean tooLate(EventPacket p) {
        long maxLagNanos = fleet.maxLagMs() * 1_000_000L;
        if (maxLagNanos == 0 || p.arrivalNanos() == 0 || nanoTime.getAsLong() - p.arrivalNanos() <= maxLagNanos) {
            return false;
        }
        fleetCounters.shedPackets.incrementAndGet();
        fleetCounters.shedEvents.addAndGet(p.size());
        return true;
    }

    /** The network's stages of each sensor, split as {@code --pipeline} asked: null when they run on its engine thread. */
    public PipelinePlan stagePlan() {
        return plan;
    }

    /** The noise filters every sensor's events pass, with their counts of removed events. */
    public io.spikeflux.aer.filter.FilterSpec filters() {
        return options.filters();
    }

    /** What happened to the sensors of {@link #classify}: opened, evicted, failed, refused, dropped. */
    public FleetCounters fleetCounters() {
        return fleetCounters;
    }

    /**
     * A split of the network's stages into {@code groups} by their measured time on steps with a
     * twentieth of the input active: live steps have no labelled samples to measure on.
     */
    private static PipelinePlan balancedPlan(SpikingNetwork network, int inputs, int groups) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        List<SpikeStep> steps = new java.util.ArrayList<>();
        for (int step = 0; step < 500; step++) {
            int[] active = random.ints(Math.max(1, inputs / 20), 0, inputs).sorted().distinct().toArray();
            steps.add(new SpikeStep(step, active.length, active, null, 0L, step == 0));
        }
        // made once: a live first stage also bins its packets, which these rounds do not time
        return network.balancedPlan(() -> steps, groups);
    }

    /**
     * Runs a throwaway sensor through the pipeline with random events so that the JIT has compiled
     * the hot loops before the first real event arrives: otherwise the first second of a live
     * stream is decided hundreds of milliseconds late.
     */
    public void warmUp(int steps) {
        TensorShape in = topology.network().inputShape();
        io.spikeflux.aer.event.SensorGeometry g = new io.spikeflux.aer.event.SensorGeometry(in.width(), in.height());
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int perStep = Math.max(1, in.width() * in.height() / 20);
        // the same path as live sensors (routing, engine threads, step-closing timers), on as many
        // sensors as there are engine threads, so every engine thread runs compiled code from the start
        // the synthetic sensor is the input's size: mapped as it is, whatever region the real ones use
        LiveClassifier scratch = new LiveClassifier(topology, parameters,
                options.withFilters(options.filters().withFreshCounters())
                        .withFits(io.spikeflux.engine.sensor.SensorFits.all(io.spikeflux.engine.sensor.InputFit.DEFAULT)),
                fleet, clock, nanoTime, timersOnEngineThreads, plan);
        int sensors = fleet.engineThreads();
        scratch.classify(Flux.range(0, steps * sensors).map(k -> {
            int step = k / sensors;
            short[] x = new short[perStep];
            short[] y = new short[perStep];
            byte[] p = new byte[perStep];
            long[] t = new long[perStep];
            for (int i = 0; i < perStep; i++) {
                x[i] = (short) random.nextInt(g.width());
                y[i] = (short) random.nextInt(g.height());
                p[i] = (byte) random.nextInt(2);
                t[i] = (long) step * options.dtUs() + (long) i * options.dtUs() / perStep;
            }
            return new EventPacket("warm-up-" + k % sensors, g, step + 1L, perStep, x, y, p, t, nanoTime.getAsLong());
        })).blockLast();
    }


    public long lateEvents() {
        return lateEvents.get();
    }

    /** Events whose coordinates lie outside the model's input, dropped by every sensor's binner. */
    public long outsideEvents() {
        return retiredOutside.get() + binners.stream().mapToLong(SensorTimeBinner::outsideEvents).sum();
    }

    /** Sensor pipelines whose state is still held (open or not yet torn down). */
    public int openPipelines() {
        return binners.size();
    }

    public long idleResets() {
        return idleResets.get();
    }

    public long steps() {
        return steps.get();
    }

    /** The state of one sensor's pipeline; touched by one thread at a time (Reactor's serial rule). */
    private final class Pipeline implements SensorTimeBinner.Listener {
        final String sensorId;
        final RollingWindow window;
        final SensorTimeBinner binner;
        final int emitSteps = options.emitSteps();
        final AnnouncedClass announced = new AnnouncedClass(options.hysteresis(), options.dtUs());
        int lastTop = -1;
        /**
         * Steps since the network was last reset (or started), while the window still holds every
         * output spike since then; -1 once it does not (it slid or was cleared).
         */
        int wholeSegmentSteps;
        int sinceEmit;
        int resetAtStep = -1;
        int clearWindowAtStep = -1;
        long stepArrival;

        Pipeline(String sensorId, Scheduler timers) {
            this.sensorId = sensorId;
            this.timers = timers;
            TensorShape in = topology.network().inputShape();
            this.window = new RollingWindow(options.windowSteps(), topology.network().classCount());
            long idleUs = (long) options.idleResetMs() * 1000;
            this.binner = new SensorTimeBinner(options.fits().forSensor(sensorId), in.width(), in.height(), in.channels(), options.dtUs(),
                    options.windowSteps(), idleUs, this, lateEvents);
            binners.add(binner);
        }

        private io.spikeflux.aer.event.SensorGeometry geometry;
        /** Ticks of the step-closing timer, merged with the packets. */
        final Sinks.Many<Object> ticks = Sinks.many().unicast().onBackpressureBuffer();
        private long scheduledDue = Long.MAX_VALUE;
        private boolean waitingForQueue;
        /** Runs the step-closing timer: the clock, or the pipeline's engine thread on the wall clock. */
        private final Scheduler timers;

        /**
         * A tick found the sensor's packets still queued: the timer is armed again once they are
         * binned, not at every packet of the backlog.
         */
        void waitForQueue() {
            waitingForQueue = true;
        }

        /** A packet was binned and {@code queued} events remain: the timer may be armed again. */
        void binned(long queued) {
            if (waitingForQueue && queued <= 0) {
                waitingForQueue = false;
                scheduledDue = Long.MIN_VALUE; // arm even for the step the skipped tick was for
            }
        }

        /**
         * Arms a timer for when the open step is over by the sensor clock: the step is decided
         * then, not when the camera's next event happens to arrive.
         */
        void scheduleClose(long marginNanos) {
            if (waitingForQueue) {
                return;
            }
            long due = binner.dueNanos(marginNanos);
            if (due == Long.MAX_VALUE || due == scheduledDue) {
                return;
            }
            scheduledDue = due;
            long delay = Math.max(0, due - nanoTime.getAsLong());
            try {
                timers.schedule(() -> ticks.emitNext(TICK, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100))),
                        delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the session is closing and its engine threads are gone: no step is decided any more
            }
        }

        /**
         * Bins a packet. A source whose geometry changes mid-stream is not the camera this
         * pipeline was made for: the pipeline fails (and is replaced on the next packet).
         */
        List<SpikeStep> accept(EventPacket p) {
            if (geometry == null) {
                geometry = p.geometry();
                filters = options.filters().isEmpty() ? null : options.filters().newChain(geometry);
            } else if (!geometry.equals(p.geometry())) {
                throw new IllegalStateException("sensor " + sensorId + " changed its geometry from " + geometry + " to "
                        + p.geometry() + " mid-stream");
            }
            if (filters == null) {
                return binner.accept(p);
            }
            int kept = filters.select(p);
            return binner.accept(p, filters.survivors(), kept);
        }

        /** This sensor's noise filters, made for its geometry with its first packet. */
        private io.spikeflux.aer.filter.FilterChain filters;

        void retire() {
            if (binners.remove(binner)) {
                retiredOutside.addAndGet(binner.outsideEvents());
            }
        }

        @Override
        public void gap(long gapUs, int nextStep) {
            if (options.idleResetMs() > 0 && gapUs >= options.idleResetMs() * 1000L) {
                resetAtStep = nextStep;
            } else {
                // a silence longer than the window was skipped: nothing of before it is in the window
                clearWindowAtStep = nextStep;
            }
        }

        /** Runs just before a step enters the network: the idle reset lands between samples. */
        SpikeStep beforeStep(SpikeStep step) {
            if (step.step() == clearWindowAtStep) {
                clearWindowAtStep = -1;
                window.clear();
                wholeSegmentSteps = -1;
            }
            if (step.step() == resetAtStep) {
                resetAtStep = -1;
                window.clear();
                idleResets.incrementAndGet();
                lastTop = -1;
                announced.reset();
                sinceEmit = 0;
                wholeSegmentSteps = 0;
                return step.withReset();
            }
            return step;
        }

        Classification afterStep(StepOutcome net) {
            steps.incrementAndGet();
            long arrival = net.arrivalNanos();
            if (arrival > 0) {
                stepArrival = arrival;
            }
            window.push(net.outputSpikes(), net.outputSpikes().length);
            if (wholeSegmentSteps >= 0 && ++wholeSegmentSteps > options.windowSteps()) {
                wholeSegmentSteps = -1;
            }
            // While the window holds everything since the reset, its counts are the network's own,
            // and so is the decision: ties broken by the output membranes, exactly as offline.
            int raw = window.total() == 0 ? -1 : wholeSegmentSteps >= 0 ? net.prediction() : window.top();
            int top = announced.update(raw, raw < 0 ? 0 : (double) window.count(raw) / window.total(), net.step());
            boolean changed = top != lastTop;
            sinceEmit++;
            if (arrival == SensorTimeBinner.CATCH_UP || (!changed && sinceEmit < emitSteps)) {
                return null;
            }
            sinceEmit = 0;
            lastTop = top;
            long end = binner.stepStartUs(net.step() + 1);
            long start = end - (long) options.windowMs() * 1000;
            int[] counts = window.counts();
            int total = window.total();
            double latencyMs = stepArrival == 0 ? 0 : (nanoTime.getAsLong() - stepArrival) / 1e6;
            return new Classification(sensorId, start, end, counts, top, top < 0 ? "-" : classNames.get(top),
                    total == 0 || top < 0 ? 0 : (double) counts[top] / total, latencyMs, changed, raw);
        }
    }
}
