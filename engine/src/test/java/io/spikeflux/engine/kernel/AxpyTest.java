package io.spikeflux.engine.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD and the scalar kernel compute the same sums, at every length and offset. */
class AxpyTest {

    @Test
    void vectorAndScalarAgree() {
        Axpy scalar = new ScalarAxpy();
        Axpy vector = new VectorAxpy();
        Random r = new Random(3);
        for (int n = 0; n < 70; n++) {
            float[] w = new float[n + 9];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            float[] a = new float[n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            float[] b = a.clone();
            scalar.add(w, 3, a, 2, n);
            vector.add(w, 3, b, 2, n);
            assertArrayEquals(a, b, "add, n=" + n);
            scalar.addScaled(0.37f, w, 9 - 3, a, 5, n);
            vector.addScaled(0.37f, w, 9 - 3, b, 5, n);
            // a * w + out: identical expression per lane, so results are bit-identical
            assertArrayEquals(a, b, "addScaled, n=" + n);
        }
    }

    @Test
    void testsRunWithTheSimdKernel() {
        // surefire passes --add-modules jdk.incubator.vector: the engine's tests exercise the SIMD path
        assertTrue(Axpy.get().name().startsWith("vector"), Axpy.get().name());
    }
}
