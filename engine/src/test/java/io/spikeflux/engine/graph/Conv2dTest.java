package io.spikeflux.engine.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event-driven scatter computes the convolution of its definition, for inputs inside the
 * map (whole windows, one kernel call each) and on its border (clipped windows), with one to
 * more than four active channels per pixel.
 */
class Conv2dTest {

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, {4}x{5} stride {6} pad {7}")
    @CsvSource({
            "9, 7, 3, 16, 3, 3, 1, 1",  // rows of 3 * 16 floats: the unrolled kernels
            "8, 8, 6, 32, 3, 3, 1, 1",  // 3 * 32 floats, and pixels with more than four active channels
            "7, 9, 5, 5, 3, 3, 1, 0",   // no padding on the sides, rows of 15 floats
            "9, 9, 4, 16, 3, 3, 2, 1",  // stride 2: never a whole window
            "10, 8, 2, 8, 5, 3, 1, 2",  // an oblong window
            "6, 6, 1, 16, 1, 1, 1, 0",  // a 1x1 convolution: every input is inside
            "9, 9, 6, 32, 1, 1, 2, 0",  // 1x1 with stride 2: most inputs reach nothing
            "8, 7, 3, 16, 1, 1, 3, 0"   // 1x1 with stride 3 on a map it does not divide
    })
    void scatterIsTheConvolutionOfItsDefinition(int h, int w, int cin, int cout, int kh, int kw, int stride, int pad) {
        Random r = new Random(h * 31L + cin * 7L + cout);
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        float[] weights = new float[kh * kw * cin * cout];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) r.nextGaussian();
        }
        float[] bias = new float[cout];
        for (int c = 0; c < cout; c++) {
            bias[c] = (float) r.nextGaussian();
        }
        Conv2d conv = new Conv2d(new TensorShape(h, w, cin), new TensorShape(oh, ow, cout), kh, kw, stride, stride,
                pad, pad, weights, bias);
        float[] input = new float[h * w * cin];
        int[] active = new int[input.length];
        int count = 0;
        for (int i = 0; i < input.length; i++) {
            if (r.nextDouble() < 0.45) {
                input[i] = r.nextBoolean() ? 1f : (float) r.nextGaussian();
                active[count++] = i;
            }
        }
        float[] output = new float[oh * ow * cout];
        conv.initOutput(output);
        long ops = conv.newScatterKernel().propagate(input, active, count, output);

        long expectedOps = 0;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int co = 0; co < cout; co++) {
                    double sum = bias[co];
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            for (int ci = 0; ci < cin; ci++) {
                                float x = input[(iy * w + ix) * cin + ci];
                                if (x != 0f) {
                                    sum += (double) x * weights[((ky * kw + kx) * cin + ci) * cout + co];
                                    expectedOps++;
                                }
                            }
                        }
                    }
                    int o = (oy * ow + ox) * cout + co;
                    assertEquals(sum, output[o], 1e-4 * (1 + Math.abs(sum)),
                            "output (" + oy + "," + ox + "," + co + ")");
                }
            }
        }
        assertEquals(expectedOps, ops, "synaptic operations");
    }
}
