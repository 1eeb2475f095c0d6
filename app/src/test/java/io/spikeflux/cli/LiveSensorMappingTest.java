package io.spikeflux.cli;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketBuilder;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.LabelledRecordings;
import io.spikeflux.aer.udp.WireProtocol;
import io.spikeflux.camera.Camera;
import io.spikeflux.camera.ReplayCamera;
import io.spikeflux.camera.ScheduleEntry;
import io.spikeflux.engine.live.LiveOptions;
import io.spikeflux.engine.model.CalibratedModel;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.RegionOfInterest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The mapping acceptance runs, live: emulated N-MNIST recordings placed inside a DAVIS346 frame and
 * picked out by {@code --roi}, or upscaled four times and brought back by {@code --fit}, give the
 * live decisions of the recordings as they are, sample for sample.
 */
class LiveSensorMappingTest {

    private static final CalibratedModel MODEL = CalibratedModel.load(Path.of("..", "models", "nmnist_cnn.snn"));
    private static final ReplayCamera CAMERA =
            new ReplayCamera(LabelledRecordings.list(Path.of("..", "data", "nmnist-emu"), 20), 100_000);
    private static final LiveOptions OPTIONS = new LiveOptions(1000, 100, 10, 50, LiveOptions.DEFAULT_CLOSE_MARGIN_US);

    /** The camera's events moved to {@code (shift + scale * x + i, shift + scale * y + j)} of a larger sensor. */
    private static Camera seenBy(SensorGeometry sensor, int shiftX, int shiftY, int scale) {
        return new Camera() {
            @Override
            public Flux<EventPacket> events() {
                return CAMERA.events().map(p -> {
                    EventPacketBuilder b = new EventPacketBuilder(p.sensorId(), sensor, Math.max(1, p.size()));
                    for (int k = 0; k < p.size(); k++) {
                        b.add(shiftX + scale * p.x(k) + k % scale, shiftY + scale * p.y(k) + (k / scale) % scale,
                                p.polarity(k), p.timestampUs(k));
                    }
                    return b.build();
                });
            }

            @Override
            public List<ScheduleEntry> schedule() {
                return CAMERA.schedule();
            }
        };
    }

    private static LiveDemo.Result run(Camera camera, SensorGeometry sensor, InputFit fit) {
        LiveDemo demo = new LiveDemo(MODEL, camera, WireProtocol.JAER, OPTIONS.withFit(fit));
        if (sensor != null) {
            demo.withSensor(sensor);
        }
        LiveDemo.Result r = demo.run(4.0, 512, c -> { }, a -> { });
        assertEquals(r.eventsSent(), r.eventsReceived(), "every event arrived");
        assertEquals(0, r.lateEvents());
        return r;
    }

    @Test
    void aRegionOfADavis346FrameAndAFourTimesUpscaledSensorGiveTheOriginalsDecisions() {
        LiveDemo.Result original = run(CAMERA, null, InputFit.DEFAULT);
        SensorGeometry davis = new SensorGeometry(346, 260);
        LiveDemo.Result roi = run(seenBy(davis, 156, 113, 1), davis,
                new InputFit(new RegionOfInterest(156, 113, 34, 34), FitMode.CROP));
        SensorGeometry upscaled = new SensorGeometry(136, 136);
        LiveDemo.Result fitted = run(seenBy(upscaled, 0, 0, 4), upscaled, new InputFit(null, FitMode.CROP));
        System.out.printf("live majority accuracy: original %.3f, 346x260 + roi %.3f, x4 + fit %.3f%n",
                original.accuracy(), roi.accuracy(), fitted.accuracy());
        assertEquals(20, original.samples());
        assertEquals(original.correct(), roi.correct(), "--roi on the shifted recordings");
        assertEquals(original.correct(), fitted.correct(), "--fit on the upscaled recordings");
        assertEquals(0, roi.outsideEvents(), "every event lies in the region");
        assertEquals(original.decisions(), roi.decisions(), 2);
        assertEquals(original.decisions(), fitted.decisions(), 2);
    }
}
