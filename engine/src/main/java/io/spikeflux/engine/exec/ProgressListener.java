package io.spikeflux.engine.exec;

/** Told how far a long job has come; must be cheap and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> { };

    void progress(int done, int total);

    /** The job moved on to a named part (a layer of a layer-by-layer calibration); shown next to the bar. */
    default void phase(String name) {
    }
}
