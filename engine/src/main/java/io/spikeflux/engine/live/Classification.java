package io.spikeflux.engine.live;

/**
 * One live decision of one sensor over a rolling window of sensor time.
 *
 * @param sensorId      sensor
 * @param windowStartUs window start, sensor time (inclusive)
 * @param windowEndUs   window end, sensor time (exclusive)
 * @param counts        output spikes per class in the window
 * @param topClass      the announced class: the window's leader once it has held the lead as the
 *                      {@link Hysteresis} asks (at once without one), or -1 before any
 * @param topName       its name from the model, or "-"
 * @param confidence    the announced class's share of the window's output spikes
 * @param latencyMs     wall time from the arrival of the newest contributing event to this decision
 * @param changed       whether the announced class differs from the previous decision's
 * @param rawClass      the window's leader at this step (class with the most spikes), -1 when silent
 */
public record Classification(String sensorId, long windowStartUs, long windowEndUs, int[] counts, int topClass,
                             String topName, double confidence, double latencyMs, boolean changed, int rawClass) {

    public int totalSpikes() {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    public double share(int cls) {
        int total = totalSpikes();
        return total == 0 ? 0 : (double) counts[cls] / total;
    }
}
