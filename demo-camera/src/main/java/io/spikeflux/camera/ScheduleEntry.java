package io.spikeflux.camera;

/**
 * When a sample was shown, in the camera's sensor time.
 *
 * @param index   position in the replay, from 0
 * @param label   ground-truth class
 * @param startUs first sensor-time µs of the sample
 * @param endUs   sensor-time µs just after its last event
 * @param source  where the events came from
 */
public record ScheduleEntry(int index, int label, long startUs, long endUs, String source) {
}
