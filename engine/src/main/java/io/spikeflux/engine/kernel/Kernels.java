package io.spikeflux.engine.kernel;

/**
 * The inner loops of the simulation, in a SIMD version ({@code jdk.incubator.vector}, used when
 * the JVM runs with {@code --add-modules jdk.incubator.vector}) and a scalar one (otherwise, or
 * with {@code -Dspikeflux.simd=false}). Both perform the same float operations in the same order
 * per element (a product, then a sum: never a fused multiply-add), so they give bit-identical
 * results and a run does not depend on the machine's vector width.
 */
public abstract class Kernels {

    private static final Kernels INSTANCE = select();

    public static Kernels get() {
        return INSTANCE;
    }

    private static Kernels select() {
        boolean wanted = !"false".equals(System.getProperty("spikeflux.simd"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernels) Class.forName("io.spikeflux.engine.kernel.VectorKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels();
            }
        }
        return new ScalarKernels();
    }

    /** {@code out[oOff..oOff+n) += a * w[wOff..wOff+n)}: one input's fan-out in a dense layer. */
    public abstract void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n);

    /**
     * One input's fan-out over a whole convolution window: {@link #addScaled} for each of
     * {@code rows} runs of {@code n}, run r reading {@code w[wOff + r * n ..]} and adding into
     * {@code out[oOff + r * oStride ..]} ({@code oStride} may be negative). One call per input
     * lets a kernel unroll the runs of its usual lengths.
     */
    public abstract void addWindow(float a, float[] w, int wOff, float[] out, int oOff, int oStride, int rows, int n);

    /** {@link #addScaled2} over a window, as {@link #addWindow}: two channels of one pixel. */
    public abstract void addWindow2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int oStride,
                                    int rows, int n);

    /** {@link #addScaled3} over a window, as {@link #addWindow}. */
    public abstract void addWindow3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out,
                                    int oOff, int oStride, int rows, int n);

    /** {@link #addScaled4} over a window, as {@link #addWindow}. */
    public abstract void addWindow4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                                    float[] out, int oOff, int oStride, int rows, int n);

    /**
     * Two inputs' fan-outs into the same outputs, in this order:
     * {@code out[o..o+n) = (out + a1 * w[w1..]) + a2 * w[w2..]}. Reads and writes the outputs once
     * for both (two spikes of one pixel in a convolution), with the same floats as two calls of
     * {@link #addScaled}.
     */
    public abstract void addScaled2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int n);

    /**
     * Three inputs' fan-outs into the same outputs, in this order, with the same floats as
     * {@link #addScaled2} and then {@link #addScaled}: a pixel with three active channels costs
     * one pass over its outputs, not two.
     */
    public abstract void addScaled3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out,
                                    int oOff, int n);

    /**
     * Four inputs' fan-outs into the same outputs, in this order, with the same floats as two
     * calls of {@link #addScaled2}: the outputs are read and written once for four channels of a
     * pixel (a busy pixel of a wide convolution).
     */
    public abstract void addScaled4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                                    float[] out, int oOff, int n);

    /**
     * Integrate-and-fire over a whole layer: {@code v += current}; where {@code v >= vth} the
     * neuron spikes and resets to 0 ({@code subtract == false}) or by subtracting {@code vth}.
     *
     * @param spikes at least {@code size} long; entries from the returned count on are left
     *               undefined (a kernel may store a block's indices whole and count only its spikes)
     * @return the number of spikes, whose indices (ascending) are written to {@code spikes}
     */
    public abstract int integrate(float[] membrane, float[] current, int size, float vth, boolean subtract,
                                  int[] spikes);

    /**
     * {@link #integrate} of the sum of two currents, {@code v += (a + b)}: the neurons after a
     * residual junction, without writing the sum out (the same floats as summing first).
     */
    public abstract int integrateSum(float[] membrane, float[] a, float[] b, int size, float vth, boolean subtract,
                                     int[] spikes);

    /**
     * {@link #integrate}, the same floats and spikes, for a layer where few neurons fire (under
     * one in 64 or so): blocks without a spike cost no more than the test for one.
     */
    public abstract int integrateSparse(float[] membrane, float[] current, int size, float vth, boolean subtract,
                                        int[] spikes);

    /**
     * {@code out[p * width ..][0..width) = table[rows[p] * width ..][0..width)} for
     * {@code p < count}: a table lookup per output pixel (a convolution by pattern table).
     */
    public abstract void copyRows(float[] table, int[] rows, int count, int width, float[] out);

    /**
     * The indices (ascending) of the elements of {@code x[0..size)} that are not zero ({@code x[i] != 0f}:
     * NaN counts, -0 does not): the active inputs of a layer fed by currents or pooled values.
     *
     * @param indices at least {@code size} long; entries from the returned count on are undefined
     * @return how many were written to {@code indices}
     */
    public abstract int nonZeroIndices(float[] x, int size, int[] indices);

    /**
     * {@link #integrate} with the current of neuron {@code p * width + c} read from
     * {@code table[rows[p] * width + c]}, for {@code p < pixels}: neurons driven by a convolution
     * computed by pattern table, whose currents are never written out. Pixels whose row is
     * {@code zeroRow} are not touched (-1: none): the caller knows that row to be zeros and no
     * membrane to be at or above the threshold, so they could neither change nor fire.
     *
     * @param spikes at least {@code pixels * width} long; entries from the returned count on are undefined
     */
    public abstract int integrateRows(float[] membrane, float[] table, int[] rows, int pixels, int width, int zeroRow,
                                      float vth, boolean subtract, int[] spikes);

    /**
     * The largest of {@code x[0..size)}, or 0 when none is positive (SPIKE-NORM keeps only the
     * largest current of each step; a maximum does not depend on the order it is taken in).
     */
    public abstract float maxOrZero(float[] x, int size);

    public abstract String name();
}
