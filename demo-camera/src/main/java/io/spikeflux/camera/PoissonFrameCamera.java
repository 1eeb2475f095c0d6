package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.engine.data.Dataset;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.graph.TensorShape;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;

/**
 * A camera that shows images as AER events: each image is rate-coded for T steps of {@code dt}
 * by the engine's Poisson encoder with seed {@code seed + i} for image i (the seeds offline
 * {@code evaluate} uses), and every pixel that spikes in a step becomes one event, ON for a
 * positive and OFF for a negative spike, stamped in the middle of its step. Images follow each
 * other with a gap of silence, so a live engine with an idle reset starts each image from fresh
 * state, and its per-step input is exactly the spike map offline evaluation feeds the network.
 */
public final class PoissonFrameCamera implements Camera {

    private final Dataset images;
    private final TensorShape shape;
    private final int stepsPerImage;
    private final long dtUs;
    private final long seed;
    private final List<ScheduleEntry> schedule;

    /**
     * @param images frames of one channel, values in [-1, 1] (e.g. Fashion-MNIST)
     * @param shape  the frames' shape: the camera's sensor is {@code width x height}
     */
    public PoissonFrameCamera(Dataset images, TensorShape shape, int stepsPerImage, long dtUs, long gapUs, long seed) {
        if (shape.channels() != 1) {
            throw new IllegalArgumentException("a Poisson camera shows one-channel frames, not " + shape);
        }
        if (stepsPerImage <= 0 || dtUs <= 0 || gapUs < 0) {
            throw new IllegalArgumentException("steps per image and dt must be positive, the gap >= 0");
        }
        this.images = images;
        this.shape = shape;
        this.stepsPerImage = stepsPerImage;
        this.dtUs = dtUs;
        this.seed = seed;
        List<ScheduleEntry> plan = new ArrayList<>();
        long period = stepsPerImage * dtUs + gapUs;
        for (int i = 0; i < images.size(); i++) {
            long start = i * period;
            plan.add(new ScheduleEntry(i, images.get(i).label(), start, start + stepsPerImage * dtUs,
                    images.description() + " #" + i));
        }
        this.schedule = List.copyOf(plan);
    }

    public SensorGeometry geometry() {
        return new SensorGeometry(shape.width(), shape.height());
    }

    @Override
    public List<ScheduleEntry> schedule() {
        return schedule;
    }

    @Override
    public Flux<EventPacket> events() {
        SensorGeometry g = geometry();
        return Flux.range(0, images.size()).concatMap(i -> {
            long start = schedule.get(i).startUs();
            return images.get(i).steps(stepsPerImage, seed + i)
                    .filter(s -> s.count() > 0)
                    .map(s -> packet(s, start + s.step() * dtUs + dtUs / 2, g));
        });
    }

    private EventPacket packet(SpikeStep s, long timeUs, SensorGeometry g) {
        int n = s.count();
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] p = new byte[n];
        long[] t = new long[n];
        int width = shape.width();
        for (int k = 0; k < n; k++) {
            int pixel = s.indices()[k];
            x[k] = (short) (pixel % width);
            y[k] = (short) (pixel / width);
            p[k] = (byte) (s.valueAt(k) > 0 ? 1 : 0);
            t[k] = timeUs;
        }
        return new EventPacket("poisson-camera", g, s.step() + 1L, n, x, y, p, t);
    }
}
