package io.spikeflux.engine.kernel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD and the scalar kernels compute the same floats, at every length and offset. */
class KernelsTest {

    private final Kernels scalar = new ScalarKernels();
    private final Kernels vector = new VectorKernels();
    private final Random r = new Random(3);

    private float[] gaussian(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void addScaledAgrees() {
        for (int n = 0; n < 70; n++) {
            float[] w = gaussian(n + 9);
            float[] a = gaussian(n + 5);
            float[] b = a.clone();
            scalar.addScaled(0.37f, w, 6, a, 5, n);
            vector.addScaled(0.37f, w, 6, b, 5, n);
            // a * w + out: identical expression per lane, so results are bit-identical
            assertArrayEquals(a, b, "addScaled, n=" + n);
        }
    }

    @Test
    void addScaled2IsTwoAddScaledInOnePass() {
        for (int n = 0; n < 70; n += 3) {
            float[] w = gaussian(2 * n + 11);
            float[] a = gaussian(n + 5);
            float[] twice = a.clone();
            float[] simd = a.clone();
            scalar.addScaled(0.37f, w, 2, twice, 5, n);
            scalar.addScaled(-1.5f, w, n + 7, twice, 5, n);
            scalar.addScaled2(0.37f, 2, -1.5f, n + 7, w, a, 5, n);
            vector.addScaled2(0.37f, 2, -1.5f, n + 7, w, simd, 5, n);
            assertArrayEquals(twice, a, "scalar, n=" + n);
            assertArrayEquals(twice, simd, "vector, n=" + n);
        }
    }

    @Test
    void addScaled3IsAddScaled2AndAddScaledInOnePass() {
        for (int n = 0; n < 70; n += 3) {
            float[] w = gaussian(3 * n + 10);
            float[] a = gaussian(n + 5);
            float[] separate = a.clone();
            float[] simd = a.clone();
            scalar.addScaled2(0.37f, 2, -1.5f, n + 7, w, separate, 5, n);
            scalar.addScaled(2.25f, w, 2 * n + 9, separate, 5, n);
            scalar.addScaled3(0.37f, 2, -1.5f, n + 7, 2.25f, 2 * n + 9, w, a, 5, n);
            vector.addScaled3(0.37f, 2, -1.5f, n + 7, 2.25f, 2 * n + 9, w, simd, 5, n);
            assertArrayEquals(separate, a, "scalar, n=" + n);
            assertArrayEquals(separate, simd, "vector, n=" + n);
        }
    }

    @Test
    void addScaled4IsTwoAddScaled2InOnePass() {
        for (int n = 0; n < 70; n += 3) {
            float[] w = gaussian(4 * n + 11);
            float[] a = gaussian(n + 5);
            float[] twice = a.clone();
            float[] simd = a.clone();
            scalar.addScaled2(0.37f, 2, -1.5f, n + 7, w, twice, 5, n);
            scalar.addScaled2(2.25f, 2 * n + 9, 0.8f, 3 * n + 10, w, twice, 5, n);
            scalar.addScaled4(0.37f, 2, -1.5f, n + 7, 2.25f, 2 * n + 9, 0.8f, 3 * n + 10, w, a, 5, n);
            vector.addScaled4(0.37f, 2, -1.5f, n + 7, 2.25f, 2 * n + 9, 0.8f, 3 * n + 10, w, simd, 5, n);
            assertArrayEquals(twice, a, "scalar, n=" + n);
            assertArrayEquals(twice, simd, "vector, n=" + n);
        }
    }

    /**
     * Window rows run bottom-up into the output (a negative row stride, as a convolution stores
     * them), at run lengths the vector kernel unrolls (3 vectors of 8 or 16 lanes) and others.
     */
    @Test
    void addWindowIsAddScaledPerRowForOneToFourChannels() {
        for (int n : new int[]{0, 5, 16, 24, 32, 40, 48, 64, 96, 100}) {
            for (int rows = 1; rows <= 3; rows++) {
                int stride = -(n + 3);
                int oOff = 2 + (rows - 1) * (n + 3);
                float[] w = gaussian(4 * rows * n + 40);
                float[] start = gaussian(oOff + n + 2);
                float[] expected = start.clone();
                float[] a = {0.37f, -1.5f, 2.25f, 0.8f};
                int[] at = {1, rows * n + 9, 2 * rows * n + 17, 3 * rows * n + 31};
                for (int channels = 1; channels <= 4; channels++) {
                    for (int row = 0; row < rows; row++) {
                        int o = oOff + row * stride;
                        int d = row * n;
                        switch (channels) {
                            case 1 -> scalar.addScaled(a[0], w, at[0] + d, expected, o, n);
                            case 2 -> scalar.addScaled2(a[0], at[0] + d, a[1], at[1] + d, w, expected, o, n);
                            case 3 -> scalar.addScaled3(a[0], at[0] + d, a[1], at[1] + d, a[2], at[2] + d, w, expected,
                                    o, n);
                            default -> scalar.addScaled4(a[0], at[0] + d, a[1], at[1] + d, a[2], at[2] + d, a[3],
                                    at[3] + d, w, expected, o, n);
                        }
                    }
                    for (Kernels k : new Kernels[]{scalar, vector}) {
                        float[] out = start.clone();
                        switch (channels) {
                            case 1 -> k.addWindow(a[0], w, at[0], out, oOff, stride, rows, n);
                            case 2 -> k.addWindow2(a[0], at[0], a[1], at[1], w, out, oOff, stride, rows, n);
                            case 3 -> k.addWindow3(a[0], at[0], a[1], at[1], a[2], at[2], w, out, oOff, stride, rows,
                                    n);
                            default -> k.addWindow4(a[0], at[0], a[1], at[1], a[2], at[2], a[3], at[3], w, out, oOff,
                                    stride, rows, n);
                        }
                        assertArrayEquals(expected, out,
                                k.name() + ", " + channels + " channels, n=" + n + ", rows=" + rows);
                    }
                    expected = start.clone();
                }
            }
        }
    }

    @Test
    void integrateAgreesInBothResetModes() {
        for (boolean subtract : new boolean[]{false, true}) {
            for (int n = 0; n < 100; n += 7) {
                float[] m1 = gaussian(n);
                float[] m2 = m1.clone();
                float[] current = gaussian(n);
                int[] s1 = new int[n];
                int[] s2 = new int[n];
                float[] m3 = m1.clone();
                int[] s3 = new int[n];
                int k1 = scalar.integrate(m1, current, n, 0.8f, subtract, s1);
                int k2 = vector.integrate(m2, current, n, 0.8f, subtract, s2);
                int k3 = vector.integrateSparse(m3, current, n, 0.8f, subtract, s3);
                assertEquals(k1, k2);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2));
                assertArrayEquals(m1, m2);
                assertEquals(k1, k3);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s3, k3));
                assertArrayEquals(m1, m3);
            }
        }
    }

    @Test
    void integrateSumIsIntegrateOfTheSummedCurrents() {
        for (boolean subtract : new boolean[]{false, true}) {
            for (int n = 0; n < 150; n += 13) {
                float[] membrane = gaussian(n);
                float[] a = gaussian(n);
                float[] b = gaussian(n);
                float[] sum = new float[n];
                for (int i = 0; i < n; i++) {
                    sum[i] = a[i] + b[i];
                }
                float[] m1 = membrane.clone();
                int[] s1 = new int[n];
                int k1 = scalar.integrate(m1, sum, n, 0.8f, subtract, s1);
                for (Kernels k : new Kernels[]{scalar, vector}) {
                    float[] m2 = membrane.clone();
                    int[] s2 = new int[n];
                    int k2 = k.integrateSum(m2, a, b, n, 0.8f, subtract, s2);
                    assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2), k.name() + " size " + n);
                    assertArrayEquals(m1, m2, k.name() + " size " + n);
                }
            }
        }
    }

    @Test
    void integrateReportsEverySpikeOfABlockOnceAndInOrder() {
        // the vector kernels read a block's spikes from its masks as bits and turn them into
        // indices by table (or by a loop over the bits): every lane set, none, a single lane at
        // each position, and NaN (never a spike) must all come out as the scalar scan's, across
        // whole blocks and the scalar tail
        int n = 2 * 64 + 2 * 16 + 5; // whole blocks and the scalar tail, for 8 and 16 lanes
        for (int lane = -2; lane < n; lane++) {
            float[] m1 = new float[n];
            float[] current = new float[n];
            if (lane == -2) {
                Arrays.fill(current, 1f);
            } else if (lane >= 0) {
                current[lane] = 1f;
                current[(lane + 17) % n] = Float.NaN;
            }
            for (boolean subtract : new boolean[]{false, true}) {
                float[] a = m1.clone();
                float[] b = m1.clone();
                int[] s1 = new int[n];
                int[] s2 = new int[n];
                float[] c = m1.clone();
                int[] s3 = new int[n];
                int k1 = scalar.integrate(a, current, n, 0.5f, subtract, s1);
                int k2 = vector.integrate(b, current, n, 0.5f, subtract, s2);
                int k3 = vector.integrateSparse(c, current, n, 0.5f, subtract, s3);
                assertEquals(lane == -2 ? n : lane >= 0 ? 1 : 0, k1, "lane " + lane);
                assertEquals(k1, k2, "lane " + lane);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2), "lane " + lane);
                assertArrayEquals(a, b, "lane " + lane);
                assertEquals(k1, k3, "lane " + lane);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s3, k3), "lane " + lane);
                assertArrayEquals(a, c, "lane " + lane);
            }
        }
    }

    @Test
    void integrateReportsAnyTwoOrThreeSpikesOfABlockInOrder() {
        // a block's bits with one or two set become indices from its lowest and highest set bit,
        // more go by table: every pair of lanes of two blocks, and a third spike between them
        int n = 2 * 64 + 5;
        for (int first = 0; first < 64; first++) {
            for (int second = first + 1; second < 64; second++) {
                for (int third : new int[]{-1, (first + second) / 2, 64 + second}) {
                    float[] current = new float[n];
                    current[first] = 1f;
                    current[second] = 1f;
                    if (third >= 0) {
                        current[third] = 1f;
                    }
                    int[] s1 = new int[n];
                    int[] s2 = new int[n];
                    int[] s3 = new int[n];
                    int k1 = scalar.integrate(new float[n], current, n, 0.5f, false, s1);
                    int k2 = vector.integrate(new float[n], current, n, 0.5f, false, s2);
                    int k3 = vector.integrateSparse(new float[n], current, n, 0.5f, false, s3);
                    String at = "lanes " + first + ", " + second + ", " + third;
                    assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2), at);
                    assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s3, k3), at);
                }
            }
        }
    }

    @Test
    void integrateRowsIsIntegrateOfTheCopiedRows() {
        // neurons driven by a pattern table: the same membranes and spikes as integrating the
        // currents the table's rows would have written, for widths of whole vectors and not
        for (int width : new int[]{8, 16, 24, 32, 48, 20, 3}) {
            for (boolean subtract : new boolean[]{false, true}) {
                float[] table = gaussian(8 * width);
                table[5 * width + 2] = Float.NaN;
                int pixels = 41;
                int[] rows = new int[pixels];
                for (int p = 0; p < pixels; p++) {
                    rows[p] = (p * 5 + p / 3) % 8;
                }
                float[] current = new float[pixels * width];
                scalar.copyRows(table, rows, pixels, width, current);
                float[] m1 = gaussian(pixels * width);
                float[] m2 = m1.clone();
                float[] m3 = m1.clone();
                int[] s1 = new int[m1.length];
                int[] s2 = new int[m1.length];
                int[] s3 = new int[m1.length];
                int k1 = scalar.integrate(m1, current, m1.length, 0.8f, subtract, s1);
                int k2 = scalar.integrateRows(m2, table, rows, pixels, width, -1, 0.8f, subtract, s2);
                int k3 = vector.integrateRows(m3, table, rows, pixels, width, -1, 0.8f, subtract, s3);
                assertEquals(k1, k2, "width " + width);
                assertEquals(k1, k3, "width " + width);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2), "width " + width);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s3, k3), "width " + width);
                assertArrayEquals(m1, m2, "width " + width);
                assertArrayEquals(m1, m3, "width " + width);
            }
        }
    }

    @Test
    void whenEveryNeuronFiresTheIndicesFillTheArrayExactly() {
        // the table stores eight indices at a time: with every neuron firing, the last block's
        // stores end exactly at the array's end (widths of whole, odd and partial vectors)
        for (int width : new int[]{4, 8, 12, 16, 24, 32, 48, 20, 3}) {
            int pixels = 7;
            int size = pixels * width;
            float[] table = new float[2 * width];
            Arrays.fill(table, 1f);
            int[] rows = new int[pixels];
            Arrays.fill(rows, 1);
            int[] spikes = new int[size];
            assertEquals(size, vector.integrateRows(new float[size], table, rows, pixels, width, 0, 0.5f, false, spikes),
                    "width " + width);
            for (int i = 0; i < size; i++) {
                assertEquals(i, spikes[i], "width " + width);
            }
            float[] ones = new float[size];
            Arrays.fill(ones, 1f);
            int[] all = new int[size];
            assertEquals(size, vector.integrate(new float[size], ones, size, 0.5f, true, all), "size " + size);
            assertEquals(size, vector.nonZeroIndices(ones, size, all), "size " + size);
            assertEquals(size - 1, all[size - 1]);
        }
    }

    @Test
    void integrateRowsSkipsOnlyWhatCouldNeitherChangeNorFire() {
        // membranes below the threshold, reset to zero, a row of zeros: skipping its pixels gives
        // the membranes and spikes (in order, across blocks) of integrating them
        for (int width : new int[]{8, 16, 24, 32, 48, 20, 3}) {
            float[] table = gaussian(8 * width);
            Arrays.fill(table, 3 * width, 4 * width, 0f);
            int pixels = 41;
            int[] rows = new int[pixels];
            for (int p = 0; p < pixels; p++) {
                rows[p] = p % 3 == 1 || p > 30 ? 3 : (p * 5 + p / 3) % 8;
            }
            float[] m1 = gaussian(pixels * width);
            for (int i = 0; i < m1.length; i++) {
                m1[i] = Math.min(m1[i], 0.79f);
            }
            float[] m2 = m1.clone();
            float[] m3 = m1.clone();
            int[] s1 = new int[m1.length];
            int[] s2 = new int[m1.length];
            int[] s3 = new int[m1.length];
            for (int step = 0; step < 3; step++) {
                int k1 = scalar.integrateRows(m1, table, rows, pixels, width, -1, 0.8f, false, s1);
                int k2 = scalar.integrateRows(m2, table, rows, pixels, width, 3, 0.8f, false, s2);
                int k3 = vector.integrateRows(m3, table, rows, pixels, width, 3, 0.8f, false, s3);
                assertTrue(k1 > 0, "width " + width + ": neurons fire");
                assertEquals(k1, k2, "width " + width);
                assertEquals(k1, k3, "width " + width);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s2, k2), "width " + width);
                assertArrayEquals(Arrays.copyOf(s1, k1), Arrays.copyOf(s3, k3), "width " + width);
                assertArrayEquals(m1, m2, "width " + width);
                assertArrayEquals(m1, m3, "width " + width);
            }
        }
    }

    @Test
    void copyRowsAgreeForWidthsWithAndWithoutATail() {
        for (int width : new int[]{3, 16, 20, 64}) {
            float[] table = gaussian(8 * width);
            int[] rows = {7, 0, 3, 3, 5};
            float[] a = new float[rows.length * width];
            float[] b = new float[rows.length * width];
            scalar.copyRows(table, rows, rows.length, width, a);
            vector.copyRows(table, rows, rows.length, width, b);
            assertArrayEquals(a, b, "width " + width);
            assertEquals(table[7 * width + width - 1], b[width - 1]);
        }
    }

    @Test
    void nonZeroIndicesAgreeAtEveryPositionAcrossWords() {
        // as integrate: one non-zero at each position (and a NaN, which is not zero, 17 further
        // on; -0 is zero), all non-zero, none, across whole blocks and the scalar tail
        int n = 2 * 64 + 2 * 16 + 5; // whole blocks and the scalar tail, for 8 and 16 lanes
        for (int lane = -2; lane < n; lane++) {
            float[] x = new float[n];
            Arrays.fill(x, -0f);
            if (lane == -2) {
                Arrays.fill(x, 0.25f);
            } else if (lane >= 0) {
                x[lane] = 0.75f;
                x[(lane + 17) % n] = Float.NaN;
            }
            int[] i1 = new int[n];
            int[] i2 = new int[n];
            int k1 = scalar.nonZeroIndices(x, n, i1);
            int k2 = vector.nonZeroIndices(x, n, i2);
            assertEquals(lane == -2 ? n : lane >= 0 ? 2 : 0, k1, "lane " + lane);
            assertEquals(k1, k2, "lane " + lane);
            assertArrayEquals(Arrays.copyOf(i1, k1), Arrays.copyOf(i2, k2), "lane " + lane);
        }
    }

    @Test
    void theSelectedKernelsAreTheSimdOnesWhenTheModuleIsPresent() {
        // surefire passes --add-modules jdk.incubator.vector, so the golden and accuracy tests run
        // on the SIMD kernels; KernelsTest shows the scalar ones give the same floats
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                Kernels.get().name().startsWith("vector"), Kernels.get().name());
    }
}
