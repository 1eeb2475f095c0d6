package io.spikeflux.engine.live;

/**
 * One live decision of one sensor over a rolling window of sensor time.
 *
 * @param sensorId      sensor
 * @param windowStartUs window start, sensor time (inclusive)
 * @param windowEndUs   window end, sensor time (exclusive)
 * @param counts        output spikes per class in the window
 * @param topClass      class with the most spikes, or -1 when the window has none
 * @param topName       its name from the model, or "-"
 * @param confidence    the top class's share of the window's output spikes
 * @param latencyMs     wall time from the arrival of the newest contributing event to this decision
 * @param changed       whether the top class differs from the previous decision
 */
public record Classification(String sensorId, long windowStartUs, long windowEndUs, int[] counts, int topClass,
                             String topName, double confidence, double latencyMs, boolean changed) {

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
