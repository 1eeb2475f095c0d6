package io.spikeflux.engine.encode;

import reactor.core.publisher.Flux;

import java.util.Locale;

/**
 * How a frame enters the SNN. Poisson rate coding is what the paper (and a spiking sensor) does;
 * analog input (Rueckauer et al. 2017) gives the first layer each pixel's intensity as a constant
 * current every step, which removes the sampling noise of the input: deep or thin networks
 * (depthwise convs) then reach the ANN's accuracy in far fewer steps.
 */
public enum InputCoding {
    POISSON("poisson"),
    ANALOG("analog");

    private final String cliName;

    InputCoding(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static InputCoding parse(String text) {
        for (InputCoding c : values()) {
            if (c.cliName.equals(text.toLowerCase(Locale.ROOT).trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown input coding '" + text + "'; use poisson or analog");
    }

    /** The steps of one frame (channel-last) under this coding. */
    public Flux<SpikeStep> encode(float[] frame, int timesteps, long seed) {
        return this == POISSON ? PoissonEncoder.encode(frame, timesteps, seed) : analog(frame, timesteps);
    }

    private static Flux<SpikeStep> analog(float[] frame, int timesteps) {
        int[] nonZero = PoissonEncoder.nonZeroIndices(frame);
        float[] values = new float[nonZero.length];
        for (int k = 0; k < nonZero.length; k++) {
            values[k] = frame[nonZero[k]];
        }
        // every step carries the same currents; the arrays are only read downstream, so steps share them
        return Flux.range(0, timesteps).map(t -> new SpikeStep(t, nonZero.length, nonZero, values));
    }
}
