package io.spikeflux.engine.model;

/** The SpikeFlux version recorded in the files it writes. */
public final class Version {

    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
