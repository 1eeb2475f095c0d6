package io.spikeflux.engine.eval;

import java.util.Map;

/**
 * What an SNN evaluation measured, averaged over its samples.
 *
 * @param samples              samples evaluated
 * @param timesteps            steps per sample
 * @param accuracyAtCheckpoint checkpoint step -> accuracy (the convergence curve)
 * @param annAccuracy          ANN accuracy on the same samples
 * @param spikesPerNeuron      layer -> average spikes per neuron per sample over all steps
 * @param neurons              layer -> neuron count
 * @param synapticOpsPerImage  accumulates caused by spikes (and input events) per sample
 * @param annMacsPerImage      multiply-accumulates of one ANN inference
 * @param wallSeconds          wall time of the evaluation
 * @param simulationSeconds    the part of it spent simulating the samples: not the ANN pass for
 *                             {@code annAccuracy}, nor a pipelined run's trial run that balances
 *                             its stage groups; what dense simulators are timed on
 */
public record SnnEvaluation(int samples, int timesteps, Map<Integer, Double> accuracyAtCheckpoint, double annAccuracy,
                            Map<String, Double> spikesPerNeuron, Map<String, Integer> neurons,
                            double synapticOpsPerImage, long annMacsPerImage, double wallSeconds,
                            double simulationSeconds) {

    /** Energy per accumulate in the SNN and per multiply-accumulate in the ANN (45 nm, paper 7.4). */
    public static final double PJ_PER_AC = 0.1;
    public static final double PJ_PER_MAC = 3.2;

    public double finalAccuracy() {
        return accuracyAtCheckpoint.get(timesteps);
    }

    /** SNN synaptic operations relative to ANN MACs (paper section 7.4). */
    public double opsRatio() {
        return synapticOpsPerImage / annMacsPerImage;
    }

    public double snnEnergyMicrojoules() {
        return synapticOpsPerImage * PJ_PER_AC * 1e-6;
    }

    public double annEnergyMicrojoules() {
        return annMacsPerImage * PJ_PER_MAC * 1e-6;
    }

    public double imageStepsPerSecond() {
        return samples * (double) timesteps / wallSeconds;
    }

    /** Image-steps per second of the simulation alone. */
    public double simulationImageStepsPerSecond() {
        return samples * (double) timesteps / simulationSeconds;
    }
}
