package io.spikeflux.engine.data;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecording;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.encode.StepAccumulator;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.SensorMapping;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.util.List;

/**
 * Labelled event recordings in the N-MNIST layout (see {@link LabelledRecordings}), in any
 * recording format, read when a sample is used. Each recording's sensor is mapped onto the
 * model's input by an {@link InputFit}, exactly as live sensors are.
 */
public final class EventDataset implements Dataset {

    private final String description;
    private final List<Path> files;
    private final List<Integer> labels;
    private final int width;
    private final int height;
    /** 2: ON and OFF channels; 1: signed counts (ON +1, OFF -1), as live streams feed such models. */
    private final int channels;
    private final long dtUs;
    private final int annWindowSteps;
    /** Overrides the recordings' geometry (formats without one in the header: N-MNIST .bin); or null. */
    private final SensorGeometry sensor;
    private final InputFit fit;

    private EventDataset(String description, List<Path> files, List<Integer> labels, int width, int height,
                         int channels, long dtUs, int annWindowSteps, SensorGeometry sensor, InputFit fit) {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("event recordings feed 2 (ON/OFF) or 1 (signed) input channels, not "
                    + channels);
        }
        this.description = description;
        this.files = files;
        this.labels = labels;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.dtUs = dtUs;
        this.annWindowSteps = annWindowSteps;
        this.sensor = sensor;
        this.fit = fit;
    }

    /**
     * Recordings in the input's own coordinates (or mapped by the default fit when their sensor
     * is another size).
     *
     * @param annWindowSteps the ANN saw event counts divided by this many steps (300 for 300 ms)
     */
    public static EventDataset load(Path dir, int width, int height, long dtUs, int annWindowSteps) {
        return load(dir, width, height, dtUs, annWindowSteps, null, InputFit.DEFAULT);
    }

    /**
     * @param sensor the recordings' sensor when their files do not say (N-MNIST .bin: inferred as
     *               34x34 or else the 304x240 ATIS array), or null
     * @param fit    how each recording's sensor is mapped onto the {@code width x height} input
     */
    public static EventDataset load(Path dir, int width, int height, long dtUs, int annWindowSteps,
                                    SensorGeometry sensor, InputFit fit) {
        return load(dir, width, height, 2, dtUs, annWindowSteps, sensor, fit);
    }

    /**
     * @param channels the model's input channels: 2 (ON, OFF) or 1 (signed counts: ON +1, OFF -1,
     *                 the same as {@link StepAccumulator} feeds such a model live)
     */
    public static EventDataset load(Path dir, int width, int height, int channels, long dtUs, int annWindowSteps,
                                    SensorGeometry sensor, InputFit fit) {
        List<LabelledRecording> all = LabelledRecordings.list(dir, Integer.MAX_VALUE);
        return new EventDataset(dir + " (" + all.size() + " recordings)",
                all.stream().map(LabelledRecording::file).toList(), all.stream().map(LabelledRecording::label).toList(),
                width, height, channels, dtUs, annWindowSteps, sensor, fit);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int size() {
        return files.size();
    }

    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public Sample get(int index) {
        return new Recording(files.get(index), labels.get(index));
    }

    /** One recording, decoded on first use and kept as primitive arrays. */
    private final class Recording implements Sample {
        private final Path file;
        private final int label;
        private List<EventPacket> packets;

        Recording(Path file, int label) {
            this.file = file;
            this.label = label;
        }

        private List<EventPacket> packets() {
            if (packets == null) {
                packets = read().collectList().block();
            }
            return packets;
        }

        private Flux<EventPacket> read() {
            io.spikeflux.aer.format.Recording r = io.spikeflux.aer.format.Recording.open(file);
            return (sensor != null ? r.withGeometry(sensor) : r).events();
        }

        /** How this recording's sensor lands on the input. */
        private SensorMapping mapping(List<EventPacket> all) {
            SensorGeometry g = all.isEmpty() ? new SensorGeometry(width, height) : all.get(0).geometry();
            return fit.mapping(g, width, height);
        }

        @Override
        public int label() {
            return label;
        }

        @Override
        public float[] annInput() {
            float[] input = new float[width * height * channels];
            List<EventPacket> all = packets();
            SensorMapping m = mapping(all);
            float count = 1f / annWindowSteps;
            for (EventPacket p : all) {
                for (int i = 0; i < p.size(); i++) {
                    int x = m.column(p.x(i));
                    int y = m.row(p.y(i));
                    if (x >= 0 && y >= 0) {
                        boolean on = p.polarity(i) != 0;
                        if (channels == 2) {
                            input[(y * width + x) * 2 + (on ? 0 : 1)] += count;
                        } else {
                            input[y * width + x] += on ? count : -count;
                        }
                    }
                }
            }
            return input;
        }

        @Override
        public Flux<SpikeStep> steps(int timesteps, long seed) {
            Mono<List<EventPacket>> read = packets != null ? Mono.just(packets)
                    : read().collectList().doOnNext(p -> packets = p);
            return read.flatMapMany(all -> steps(all, timesteps));
        }

        private Flux<SpikeStep> steps(List<EventPacket> all, int timesteps) {
            SensorMapping m = mapping(all);
            return Flux.generate(() -> new Cursor(new StepAccumulator(m, channels)), (c, sink) -> {
                if (c.step >= timesteps) {
                    sink.complete();
                    return c;
                }
                long end = (c.step + 1) * dtUs;
                while (c.packet < all.size()) {
                    EventPacket p = all.get(c.packet);
                    if (c.event >= p.size()) {
                        c.packet++;
                        c.event = 0;
                        continue;
                    }
                    if (p.timestampUs(c.event) >= end) {
                        break;
                    }
                    c.acc.add(p.x(c.event), p.y(c.event), p.polarity(c.event));
                    c.event++;
                }
                sink.next(c.acc.emit(c.step++));
                return c;
            });
        }
    }

    private static final class Cursor {
        final StepAccumulator acc;
        int packet;
        int event;
        int step;

        Cursor(StepAccumulator acc) {
            this.acc = acc;
        }
    }
}
