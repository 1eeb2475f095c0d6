package io.spikeflux.engine.kernel;

/**
 * {@code out[o..o+n) += a * w[i..i+n)}: the inner loop of every event-driven scatter. The
 * SIMD version ({@code jdk.incubator.vector}) is used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; otherwise, or with
 * {@code -Dspikeflux.simd=false}, the scalar loop.
 */
public abstract class Axpy {

    private static final Axpy INSTANCE = select();

    public static Axpy get() {
        return INSTANCE;
    }

    private static Axpy select() {
        boolean wanted = !"false".equals(System.getProperty("spikeflux.simd"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Axpy) Class.forName("io.spikeflux.engine.kernel.VectorAxpy").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarAxpy();
            }
        }
        return new ScalarAxpy();
    }

    /** Adds {@code w[wOff..wOff+n)} to {@code out[oOff..oOff+n)}. */
    public abstract void add(float[] w, int wOff, float[] out, int oOff, int n);

    /** Adds {@code a * w[wOff..wOff+n)} to {@code out[oOff..oOff+n)}. */
    public abstract void addScaled(float a, float[] w, int wOff, float[] out, int oOff, int n);

    public abstract String name();
}
