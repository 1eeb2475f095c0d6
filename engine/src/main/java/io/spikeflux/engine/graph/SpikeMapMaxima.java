package io.spikeflux.engine.graph;

import io.spikeflux.engine.encode.SpikeStep;
import io.spikeflux.engine.kernel.Kernels;

import java.util.Arrays;

/**
 * The largest output current of a convolution over a single-channel spike map, without computing
 * the outputs: with a small window (a 3x3 kernel is 9 bits) an output pixel's currents depend only
 * on which of its taps spiked, so the largest current of every pattern is precomputed, with the
 * taps added in the scatter's order (ascending input index, from the bias). A step's largest
 * current is then the largest over its pixels' patterns: the same float as the largest of the
 * currents the scatter would have written. SPIKE-NORM's first pass needs nothing else.
 */
public final class SpikeMapMaxima {

    private static final Kernels KERNELS = Kernels.get();

    private final Conv2d conv;
    private final SpikeMapWindows windows;
    /** Per pattern of spiking taps (bit {@code ky * kW + kx}), its pixel's largest current. */
    private final float[] largest;
    /** The patterns by largest current, descending: a step's largest is its first present one. */
    private final int[] ranked;

    SpikeMapMaxima(Conv2d conv, SpikeMapWindows windows, int cout, float[] weights, float[] bias) {
        this.conv = conv;
        this.windows = windows;
        int taps = windows.taps;
        this.largest = new float[1 << taps];
        for (int pattern = 0; pattern < 1 << taps; pattern++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cout; c++) {
                // (ky, kx) ascending is the order in which the scatter adds a pixel's inputs; a
                // spike's contribution is weight * 1, the weight itself
                float sum = bias == null ? 0f : bias[c];
                for (int t = 0; t < taps; t++) {
                    if ((pattern >>> t & 1) != 0) {
                        sum += weights[t * cout + c];
                    }
                }
                max = Math.max(max, sum);
            }
            largest[pattern] = max;
        }
        this.ranked = java.util.stream.IntStream.range(0, 1 << taps).boxed()
                .sorted((a, b) -> Float.compare(largest[b], largest[a])).mapToInt(Integer::intValue).toArray();
    }

    /** The largest current any pattern gives, or 0 when none is positive: no step's largest exceeds it. */
    public float ceiling() {
        return Math.max(0f, largest[ranked[0]]);
    }

    /** A probe with its own scratch memory, for one thread. */
    public Probe newProbe() {
        return new Probe();
    }

    /** Finds steps' largest currents; one per thread. */
    public final class Probe {

        private final SpikeMapWindows.Scanner scanner = windows.newScanner();
        private final int[] patterns = new int[windows.pixels()];
        /** Per pattern, the last step (by this probe's count) in which a pixel had it. */
        private final int[] seen = new int[largest.length];
        private int stamp;
        private int[] distinct;
        /** For a step with an input other than 1 (signed or analog input): the full scatter. */
        private LinearKernel scatter;
        private float[] input;
        private float[] output;

        private Probe() {
        }

        /**
         * The largest current the convolution gives for a step's input, or 0 when none is
         * positive (what {@link Kernels#maxOrZero} gives on the currents it would write).
         */
        public float largestOrZero(SpikeStep step) {
            if (step.values() != null || !scanner.scan(step.indices(), step.count(), patterns)) {
                return scattered(step);
            }
            if (stamp == Integer.MAX_VALUE) {
                Arrays.fill(seen, 0);
                stamp = 0;
            }
            int now = ++stamp;
            int[] seen = this.seen;
            for (int pattern : patterns) {
                seen[pattern] = now;
            }
            for (int pattern : ranked) {
                if (seen[pattern] == now) {
                    return Math.max(0f, largest[pattern]);
                }
            }
            return 0f;
        }

        private float scattered(SpikeStep step) {
            if (scatter == null) {
                scatter = conv.newScatterKernel();
                input = new float[conv.inputShape().size()];
                output = new float[conv.outputShape().size()];
                distinct = new int[input.length];
            }
            int n = step.addTo(input, distinct);
            conv.initOutput(output);
            scatter.propagate(input, distinct, n, output);
            for (int k = 0; k < n; k++) {
                input[distinct[k]] = 0f;
            }
            return KERNELS.maxOrZero(output, output.length);
        }
    }
}
