package io.spikeflux.camera;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.SensorGeometry;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An ATIS/DVS-like camera watching a still image move along three linear saccades, in the style
 * of N-MNIST (Orchard et al. 2015) and with the parameters of the bundled emulated recordings: a
 * 34x34 sensor sees the 28x28 image at offset (3,3) moving through the offsets (0,-2) -> (2,2) ->
 * (-2,2) -> (0,-2), 100 ms per saccade, sampled every 1 ms with bilinear interpolation. Each pixel
 * keeps a reference log intensity {@code log(I + eps)} and emits one event per contrast step C
 * it moves (several events in one millisecond are spread evenly across it); background noise
 * fires at a fixed rate per pixel.
 */
public final class SaccadeEmulator {

    private static final double[][] PATH = {{0, -2}, {2, 2}, {-2, 2}, {0, -2}};

    private final int size;
    private final int offset;
    private final int saccadeMs;
    private final double contrast;
    private final double eps;
    private final double noiseHz;

    public SaccadeEmulator(int size, int offset, int saccadeMs, double contrast, double eps, double noiseHz) {
        this.size = size;
        this.offset = offset;
        this.saccadeMs = saccadeMs;
        this.contrast = contrast;
        this.eps = eps;
        this.noiseHz = noiseHz;
    }

    /** The emulator that made {@code data/nmnist-emu} (see the models' "emulator" metadata). */
    public static SaccadeEmulator nmnistLike() {
        return new SaccadeEmulator(34, 3, 100, 0.25, 0.1, 1.0);
    }

    public SensorGeometry geometry() {
        return new SensorGeometry(size, size);
    }

    /**
     * Emulates one recording of a square grayscale image (intensities in [0,1], row-major).
     * Events are sorted by time; the packet starts at t = 0.
     */
    public EventPacket record(float[] image, int imageSide, String sensorId, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int pixels = size * size;
        double[] ref = new double[pixels];
        double[] now = new double[pixels];
        render(image, imageSide, PATH[0][0], PATH[0][1], ref);
        List<long[]> events = new ArrayList<>();
        double noisePerMs = noiseHz / 1000.0;
        int steps = 3 * saccadeMs;
        int[] on = new int[pixels];
        int[] off = new int[pixels];
        for (int ms = 1; ms <= steps; ms++) {
            int leg = Math.min(2, (ms - 1) / saccadeMs);
            double f = (ms - leg * saccadeMs) / (double) saccadeMs;
            double dx = PATH[leg][0] + f * (PATH[leg + 1][0] - PATH[leg][0]);
            double dy = PATH[leg][1] + f * (PATH[leg + 1][1] - PATH[leg][1]);
            render(image, imageSide, dx, dy, now);
            long msStart = (long) (ms - 1) * 1000;
            for (int p = 0; p < pixels; p++) {
                int up = 0;
                int down = 0;
                while (now[p] - ref[p] >= contrast) {
                    ref[p] += contrast;
                    up++;
                }
                while (ref[p] - now[p] >= contrast) {
                    ref[p] -= contrast;
                    down++;
                }
                if (random.nextDouble() < noisePerMs) {
                    if (random.nextBoolean()) {
                        up++;
                    } else {
                        down++;
                    }
                }
                on[p] = up;
                off[p] = down;
            }
            // spread each pixel's events of this millisecond evenly across it
            for (int p = 0; p < pixels; p++) {
                int n = on[p] + off[p];
                for (int k = 0; k < n; k++) {
                    long t = msStart + (long) ((k + 1) * 1000.0 / (n + 1));
                    events.add(new long[]{t, p % size, p / size, k < on[p] ? 1 : 0});
                }
            }
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        int n = events.size();
        short[] x = new short[n];
        short[] y = new short[n];
        byte[] pol = new byte[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long[] e = events.get(i);
            t[i] = e[0];
            x[i] = (short) e[1];
            y[i] = (short) e[2];
            pol[i] = (byte) e[3];
        }
        return new EventPacket(sensorId, geometry(), 1, n, x, y, pol, t);
    }

    /** Log intensity seen by each sensor pixel with the image shifted by (dx, dy). */
    private void render(float[] image, int side, double dx, double dy, double[] out) {
        for (int sy = 0; sy < size; sy++) {
            for (int sx = 0; sx < size; sx++) {
                double ix = sx - offset - dx;
                double iy = sy - offset - dy;
                int x0 = (int) Math.floor(ix);
                int y0 = (int) Math.floor(iy);
                double fx = ix - x0;
                double fy = iy - y0;
                double v = (1 - fx) * (1 - fy) * at(image, side, x0, y0) + fx * (1 - fy) * at(image, side, x0 + 1, y0)
                        + (1 - fx) * fy * at(image, side, x0, y0 + 1) + fx * fy * at(image, side, x0 + 1, y0 + 1);
                out[sy * size + sx] = Math.log(v + eps);
            }
        }
    }

    private static double at(float[] image, int side, int x, int y) {
        return x < 0 || y < 0 || x >= side || y >= side ? 0 : image[y * side + x];
    }
}
