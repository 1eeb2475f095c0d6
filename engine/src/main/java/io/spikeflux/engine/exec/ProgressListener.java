package io.spikeflux.engine.exec;

/** Told how far a long job has come; must be cheap and thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> { };

    void progress(int done, int total);
}
