package io.spikeflux.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD over the preferred vector width; loaded only when the incubator module is present. */
public final class VectorKernels extends Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    /**
     * Lane k holds the float whose bit pattern is {@code 1 << k}: blending is a bitwise select, so
     * the blended lanes read as ints and OR-reduced give the mask as bits.
     */
    private static final FloatVector LANE_BITS = FloatVector.fromArray(S, laneBits(0), 0);
    /** The bits of a block's second vector, above the first's: two vectors share one reduction. */
    private static final FloatVector HIGH_LANE_BITS = FloatVector.fromArray(S, laneBits(LANES), 0);
    /** Two vectors of neurons: the block whose spike bits one OR reduction gathers into an int. */
    private static final int BLOCK = 2 * LANES;
    private static final VectorSpecies<Integer> EIGHT_INTS = IntVector.SPECIES_256;
    /**
     * Whether a byte's indices are stored by table: not where eight ints are wider than the
     * machine's vectors (the store would run in Java), nor where a block is narrower than a byte
     * (four lanes: the eight ints stored could pass the array's end).
     */
    private static final boolean TABLE_STORES = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && LANES >= 8;
    /**
     * Row {@code b} lists the positions of the set bits of the byte {@code b}, padded to eight:
     * a byte of spike bits becomes indices by one unconditional store of its row, and the spike
     * count moves on by its bit count, without a branch per spike.
     */
    private static final int[] BIT_POSITIONS = bitPositions();
    /** For shapes the vector loops do not cover. */
    private static final Kernels SCALAR = new ScalarKernels();

    @Override
    public void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n) {
        // vector-by-vector operations only: the scalar-operand forms are not intrinsified on JDK 17
        FloatVector scale = FloatVector.broadcast(S, a);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, w, wOff + c).mul(scale)
                    .add(FloatVector.fromArray(S, out, oOff + c)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] += a * w[wOff + c];
        }
    }

    // A window row of a 3x3 convolution is 3 * Cout floats: three vectors for 16 channels and
    // 16 lanes. A loop that short runs in C2's post-loop, a check per vector (even stepping three
    // vectors at a time): rows of three vectors get a straight-line body. Rows of six had one
    // too, for 32 channels: the larger methods took longer to compile than they saved (LeNet's
    // 2,000 images in 4.1-4.6 s with them, 3.7-4.2 s without), and VGG and ResNet ran no faster.
    @Override
    public void addWindow(float a1, float[] w, int w1, float[] out, int oOff, int oStride, int rows, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        if (n == 3 * LANES) {
            for (int row = 0, r = 0, o = oOff; row < rows; row++, r += n, o += oStride) {
                FloatVector.fromArray(S, out, o).add(FloatVector.fromArray(S, w, w1 + r).mul(s1)).intoArray(out, o);
                FloatVector.fromArray(S, out, o + LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + LANES).mul(s1)).intoArray(out, o + LANES);
                FloatVector.fromArray(S, out, o + 2 * LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + 2 * LANES).mul(s1)).intoArray(out, o + 2 * LANES);
            }
        } else {
            for (int row = 0; row < rows; row++) {
                addScaled(a1, w, w1 + row * n, out, oOff + row * oStride, n);
            }
        }
    }

    @Override
    public void addWindow2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int oStride,
                           int rows, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        if (n == 3 * LANES) {
            for (int row = 0, r = 0, o = oOff; row < rows; row++, r += n, o += oStride) {
                FloatVector.fromArray(S, out, o)
                        .add(FloatVector.fromArray(S, w, w1 + r).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r).mul(s2)).intoArray(out, o);
                FloatVector.fromArray(S, out, o + LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + LANES).mul(s2)).intoArray(out, o + LANES);
                FloatVector.fromArray(S, out, o + 2 * LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + 2 * LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + 2 * LANES).mul(s2)).intoArray(out, o + 2 * LANES);
            }
        } else {
            for (int row = 0; row < rows; row++) {
                addScaled2(a1, w1 + row * n, a2, w2 + row * n, w, out, oOff + row * oStride, n);
            }
        }
    }

    @Override
    public void addWindow3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out, int oOff,
                           int oStride, int rows, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        FloatVector s3 = FloatVector.broadcast(S, a3);
        if (n == 3 * LANES) {
            for (int row = 0, r = 0, o = oOff; row < rows; row++, r += n, o += oStride) {
                FloatVector.fromArray(S, out, o)
                        .add(FloatVector.fromArray(S, w, w1 + r).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r).mul(s3)).intoArray(out, o);
                FloatVector.fromArray(S, out, o + LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + LANES).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r + LANES).mul(s3)).intoArray(out, o + LANES);
                FloatVector.fromArray(S, out, o + 2 * LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + 2 * LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + 2 * LANES).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r + 2 * LANES).mul(s3)).intoArray(out, o + 2 * LANES);
            }
        } else {
            for (int row = 0; row < rows; row++) {
                addScaled3(a1, w1 + row * n, a2, w2 + row * n, a3, w3 + row * n, w, out, oOff + row * oStride, n);
            }
        }
    }

    @Override
    public void addWindow4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                           float[] out, int oOff, int oStride, int rows, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        FloatVector s3 = FloatVector.broadcast(S, a3);
        FloatVector s4 = FloatVector.broadcast(S, a4);
        if (n == 3 * LANES) {
            for (int row = 0, r = 0, o = oOff; row < rows; row++, r += n, o += oStride) {
                FloatVector.fromArray(S, out, o)
                        .add(FloatVector.fromArray(S, w, w1 + r).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r).mul(s3))
                        .add(FloatVector.fromArray(S, w, w4 + r).mul(s4)).intoArray(out, o);
                FloatVector.fromArray(S, out, o + LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + LANES).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r + LANES).mul(s3))
                        .add(FloatVector.fromArray(S, w, w4 + r + LANES).mul(s4)).intoArray(out, o + LANES);
                FloatVector.fromArray(S, out, o + 2 * LANES)
                        .add(FloatVector.fromArray(S, w, w1 + r + 2 * LANES).mul(s1))
                        .add(FloatVector.fromArray(S, w, w2 + r + 2 * LANES).mul(s2))
                        .add(FloatVector.fromArray(S, w, w3 + r + 2 * LANES).mul(s3))
                        .add(FloatVector.fromArray(S, w, w4 + r + 2 * LANES).mul(s4)).intoArray(out, o + 2 * LANES);
            }
        } else {
            for (int row = 0; row < rows; row++) {
                addScaled4(a1, w1 + row * n, a2, w2 + row * n, a3, w3 + row * n, a4, w4 + row * n, w, out,
                        oOff + row * oStride, n);
            }
        }
    }

    @Override
    public void addScaled2(float a1, int w1, float a2, int w2, float[] w, float[] out, int oOff, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, w1 + c).mul(s1))
                    .add(FloatVector.fromArray(S, w, w2 + c).mul(s2)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c];
        }
    }

    @Override
    public void addScaled3(float a1, int w1, float a2, int w2, float a3, int w3, float[] w, float[] out, int oOff,
                           int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        FloatVector s3 = FloatVector.broadcast(S, a3);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, w1 + c).mul(s1))
                    .add(FloatVector.fromArray(S, w, w2 + c).mul(s2))
                    .add(FloatVector.fromArray(S, w, w3 + c).mul(s3)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c];
        }
    }

    @Override
    public void addScaled4(float a1, int w1, float a2, int w2, float a3, int w3, float a4, int w4, float[] w,
                           float[] out, int oOff, int n) {
        FloatVector s1 = FloatVector.broadcast(S, a1);
        FloatVector s2 = FloatVector.broadcast(S, a2);
        FloatVector s3 = FloatVector.broadcast(S, a3);
        FloatVector s4 = FloatVector.broadcast(S, a4);
        int c = 0;
        for (int bound = S.loopBound(n); c < bound; c += LANES) {
            FloatVector.fromArray(S, out, oOff + c).add(FloatVector.fromArray(S, w, w1 + c).mul(s1))
                    .add(FloatVector.fromArray(S, w, w2 + c).mul(s2))
                    .add(FloatVector.fromArray(S, w, w3 + c).mul(s3))
                    .add(FloatVector.fromArray(S, w, w4 + c).mul(s4)).intoArray(out, oOff + c);
        }
        for (; c < n; c++) {
            out[oOff + c] = out[oOff + c] + a1 * w[w1 + c] + a2 * w[w2 + c] + a3 * w[w3 + c] + a4 * w[w4 + c];
        }
    }

    @Override
    public int integrate(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        return integrate(membrane, current, null, size, vth, subtract, spikes);
    }

    @Override
    public int integrateSum(float[] membrane, float[] a, float[] b, int size, float vth, boolean subtract,
                            int[] spikes) {
        return integrate(membrane, a, b, size, vth, subtract, spikes);
    }

    /** {@code v += a}, or {@code v += (a + b)} when {@code b} is not null. */
    private static int integrate(float[] membrane, float[] a, float[] b, int size, float vth, boolean subtract,
                                 int[] spikes) {
        // One pass in SIMD: sum, threshold test and reset. The masks of two vectors become the
        // bits of one int (an OR of lane bits: JDK 17 has no intrinsic for VectorMask.toLong),
        // and the bits become indices (see emitBits): a layer where a few percent fire costs no
        // unpredictable branch per spike or per block, which a loop over the set bits did.
        if (BLOCK > Integer.SIZE) {
            return ScalarKernels.integrateRange(membrane, 0, size, a, b, 0, vth, subtract, spikes, 0);
        }
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector low = LANE_BITS;
        FloatVector high = HIGH_LANE_BITS;
        int n = 0;
        int i = 0;
        for (int bound = size - BLOCK; i <= bound; i += BLOCK) {
            FloatVector c1 = FloatVector.fromArray(S, a, i);
            FloatVector c2 = FloatVector.fromArray(S, a, i + LANES);
            if (b != null) {
                c1 = c1.add(FloatVector.fromArray(S, b, i));
                c2 = c2.add(FloatVector.fromArray(S, b, i + LANES));
            }
            FloatVector m1 = FloatVector.fromArray(S, membrane, i).add(c1);
            VectorMask<Float> fired1 = m1.compare(VectorOperators.GE, threshold);
            (subtract ? m1.blend(m1.sub(threshold), fired1) : m1.blend(zero, fired1)).intoArray(membrane, i);
            FloatVector m2 = FloatVector.fromArray(S, membrane, i + LANES).add(c2);
            VectorMask<Float> fired2 = m2.compare(VectorOperators.GE, threshold);
            (subtract ? m2.blend(m2.sub(threshold), fired2) : m2.blend(zero, fired2)).intoArray(membrane, i + LANES);
            int bits = zero.blend(low, fired1).reinterpretAsInts()
                    .or(zero.blend(high, fired2).reinterpretAsInts()).reduceLanes(VectorOperators.OR);
            n = emitBits(bits, BLOCK, i, spikes, n);
        }
        return ScalarKernels.integrateRange(membrane, i, size, a, b, i, vth, subtract, spikes, n);
    }

    /**
     * The indices of the set bits among the {@code length} low bits, ascending, stored from
     * {@code spikes[n]}, for neurons of which a few percent fire: most blocks then have no spike
     * or one or two, whose lowest and highest set bit are stored without a branch (garbage past
     * {@code n + count}, for an empty block). With four table stores per block instead, the
     * ResNet's densest layers of neurons took about a quarter longer; but a first layer, where
     * more fire, took a fifth longer this way (BENCHMARKS.md, session 7). More spikes go by
     * {@link #emitByTable}.
     */
    private static int emitBits(int bits, int length, int start, int[] spikes, int n) {
        spikes[n] = start + Integer.numberOfTrailingZeros(bits);
        spikes[n + 1] = start + (Integer.SIZE - 1) - Integer.numberOfLeadingZeros(bits);
        int count = Integer.bitCount(bits);
        if (count <= 2) {
            return n + count;
        }
        return emitByTable(bits, length, start, spikes, n);
    }

    /**
     * {@link #emitBits} without a branch per block: each byte stores eight ints by table. No
     * store passes the array's end, because no more spikes precede a neuron than neurons do
     * ({@code n <= start}, and the neurons {@code start..start+length) lie within the array,
     * {@code length} a multiple of 8).
     */
    private static int emitByTable(int bits, int length, int start, int[] spikes, int n) {
        if (!TABLE_STORES) {
            return emit(bits & 0xFFFF_FFFFL, start, spikes, n);
        }
        for (int b = 0; b < length; b += Byte.SIZE) {
            int octet = (bits >>> b) & 0xFF;
            IntVector.fromArray(EIGHT_INTS, BIT_POSITIONS, octet * Byte.SIZE).add(start + b).intoArray(spikes, n);
            n += Integer.bitCount(octet);
        }
        return n;
    }

    @Override
    public void copyRows(float[] table, int[] rows, int count, int width, float[] out) {
        int bound = S.loopBound(width);
        for (int p = 0; p < count; p++) {
            int from = rows[p] * width;
            int to = p * width;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector.fromArray(S, table, from + c).intoArray(out, to + c);
            }
            for (; c < width; c++) {
                out[to + c] = table[from + c];
            }
        }
    }

    @Override
    public int nonZeroIndices(float[] x, int size, int[] indices) {
        // the integrate kernel's way to indices: two vectors' masks as the bits of an int, by table
        if (BLOCK > Integer.SIZE) {
            return SCALAR.nonZeroIndices(x, size, indices);
        }
        FloatVector zero = FloatVector.zero(S);
        FloatVector low = LANE_BITS;
        FloatVector high = HIGH_LANE_BITS;
        int n = 0;
        int i = 0;
        for (int bound = size - BLOCK; i <= bound; i += BLOCK) {
            VectorMask<Float> nonZero1 = FloatVector.fromArray(S, x, i).compare(VectorOperators.NE, zero);
            VectorMask<Float> nonZero2 = FloatVector.fromArray(S, x, i + LANES).compare(VectorOperators.NE, zero);
            int bits = zero.blend(low, nonZero1).reinterpretAsInts()
                    .or(zero.blend(high, nonZero2).reinterpretAsInts()).reduceLanes(VectorOperators.OR);
            n = emitByTable(bits, BLOCK, i, indices, n);
        }
        return ScalarKernels.nonZeroRange(x, i, size, indices, n);
    }

    @Override
    public int integrateSparse(float[] membrane, float[] current, int size, float vth, boolean subtract, int[] spikes) {
        // a block's mask becomes bits only when it has a spike: the test is a well-predicted
        // branch where few neurons fire, and the OR reduction is skipped for the quiet blocks
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector laneBits = LANE_BITS;
        int n = 0;
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            FloatVector m = FloatVector.fromArray(S, membrane, i).add(FloatVector.fromArray(S, current, i));
            VectorMask<Float> fired = m.compare(VectorOperators.GE, threshold);
            (subtract ? m.blend(m.sub(threshold), fired) : m.blend(zero, fired)).intoArray(membrane, i);
            if (fired.anyTrue()) {
                n = emitBits(zero.blend(laneBits, fired).reinterpretAsInts().reduceLanes(VectorOperators.OR), LANES, i,
                        spikes, n);
            }
        }
        return ScalarKernels.integrateRange(membrane, i, size, current, null, i, vth, subtract, spikes, n);
    }

    @Override
    public int integrateRows(float[] membrane, float[] table, int[] rows, int pixels, int width, int zeroRow,
                             float vth, boolean subtract, int[] spikes) {
        if (width % LANES != 0 || BLOCK > Integer.SIZE) {
            return SCALAR.integrateRows(membrane, table, rows, pixels, width, zeroRow, vth, subtract, spikes);
        }
        // integrate's loop, the current of each block read from its pixel's table row; a width of
        // an odd number of vectors ends each pixel with a block of one
        FloatVector threshold = FloatVector.broadcast(S, vth);
        FloatVector zero = FloatVector.zero(S);
        FloatVector low = LANE_BITS;
        FloatVector high = HIGH_LANE_BITS;
        int n = 0;
        for (int p = 0, i = 0; p < pixels; p++, i += width) {
            if (rows[p] == zeroRow) {
                continue; // its lanes fire nothing
            }
            int from = rows[p] * width;
            for (int c = 0; c < width; c += BLOCK) {
                int at = i + c;
                FloatVector m1 = FloatVector.fromArray(S, membrane, at).add(FloatVector.fromArray(S, table, from + c));
                VectorMask<Float> fired1 = m1.compare(VectorOperators.GE, threshold);
                (subtract ? m1.blend(m1.sub(threshold), fired1) : m1.blend(zero, fired1)).intoArray(membrane, at);
                IntVector bits = zero.blend(low, fired1).reinterpretAsInts();
                int length = LANES;
                if (c + BLOCK <= width) {
                    FloatVector m2 = FloatVector.fromArray(S, membrane, at + LANES)
                            .add(FloatVector.fromArray(S, table, from + c + LANES));
                    VectorMask<Float> fired2 = m2.compare(VectorOperators.GE, threshold);
                    (subtract ? m2.blend(m2.sub(threshold), fired2) : m2.blend(zero, fired2))
                            .intoArray(membrane, at + LANES);
                    bits = bits.or(zero.blend(high, fired2).reinterpretAsInts());
                    length = BLOCK;
                }
                n = emitByTable(bits.reduceLanes(VectorOperators.OR), length, at, spikes, n);
            }
        }
        return n;
    }

    private static int emit(long bits, int start, int[] spikes, int n) {
        while (bits != 0L) {
            spikes[n++] = start + Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
        }
        return n;
    }

    @Override
    public float maxOrZero(float[] x, int size) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(size); i < bound; i += LANES) {
            acc = acc.max(FloatVector.fromArray(S, x, i));
        }
        float m = acc.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        for (; i < size; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    @Override
    public String name() {
        return "vector(" + LANES + " lanes)";
    }

    private static float[] laneBits(int first) {
        float[] bits = new float[LANES];
        for (int k = 0; k < LANES && first + k < Integer.SIZE; k++) {
            bits[k] = Float.intBitsToFloat(1 << (first + k));
        }
        return bits;
    }

    private static int[] bitPositions() {
        int[] positions = new int[256 * Byte.SIZE];
        for (int octet = 0; octet < 256; octet++) {
            int n = 0;
            for (int bit = 0; bit < Byte.SIZE; bit++) {
                if ((octet >>> bit & 1) != 0) {
                    positions[octet * Byte.SIZE + n++] = bit;
                }
            }
        }
        return positions;
    }
}
