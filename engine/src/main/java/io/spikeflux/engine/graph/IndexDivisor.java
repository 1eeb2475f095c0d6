package io.spikeflux.engine.graph;

/**
 * Division of a non-negative {@code int} by a divisor fixed when a layer is built, as a multiply
 * and a shift (Granlund and Montgomery 1994): the JIT emits a hardware division for {@code i / d}
 * when {@code d} is a field, and a scatter divides every active input's index by its channel
 * count and row width.
 */
final class IndexDivisor {

    private final long multiplier;
    private final int shift;

    /** @param divisor at least 1 */
    IndexDivisor(int divisor) {
        if (divisor < 1) {
            throw new IllegalArgumentException("divisor " + divisor + " is not positive");
        }
        // l = ceil(log2 d), k = 31 + l, m = ceil(2^k / d): floor(i * m / 2^k) = floor(i / d) for
        // every 0 <= i < 2^31, and i * m < 2^31 * (2^32 + 1) stays below 2^64 (read unsigned)
        int l = 32 - Integer.numberOfLeadingZeros(divisor - 1);
        this.shift = 31 + l;
        java.math.BigInteger m = java.math.BigInteger.ONE.shiftLeft(shift)
                .add(java.math.BigInteger.valueOf(divisor - 1)).divide(java.math.BigInteger.valueOf(divisor));
        this.multiplier = m.longValue();
    }

    /** {@code i / divisor} for {@code i >= 0}. */
    int divide(int i) {
        return (int) ((i * multiplier) >>> shift);
    }
}
