package io.spikeflux.engine.data;


/** Labelled samples for evaluation or calibration, loaded lazily where they are large. */
public interface Dataset {

    String description();

    int size();

    Sample get(int index);

    /** The first {@code n} samples (or all, if fewer). */
    default Dataset limit(int n) {
        Dataset self = this;
        int size = Math.min(n, size());
        return new Dataset() {
            @Override
            public String description() {
                return self.description() + (size < self.size() ? " (first " + size + ")" : "");
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public Sample get(int index) {
                return self.get(index);
            }
        };
    }
}
