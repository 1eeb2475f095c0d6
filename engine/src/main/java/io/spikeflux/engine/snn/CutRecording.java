package io.spikeflux.engine.snn;

import io.spikeflux.engine.encode.SpikeStep;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What crossed a cut between two stages of a network during one sample, step by step: the values
 * written before the cut and read after it (spikes, pooled or summed currents), so that a later
 * run can resume at the cut instead of simulating the stages before it again. Layer-by-layer
 * calibration reruns the same prefix once per layer; resuming turns that quadratic cost into a
 * linear one with identical floats.
 * <p>
 * Stored compactly (varint index deltas, raw floats only for values other than 1), because a
 * cut of a calibration holds hundreds of millions of spikes. Writers share a byte budget and
 * give up, rather than exhaust the heap, when it runs out.
 */
public final class CutRecording {

    private static final byte[] EMPTY = new byte[0];

    private final byte[] bytes;
    private final int length;
    private final int slots;

    private CutRecording(byte[] bytes, int length, int slots) {
        this.bytes = bytes;
        this.length = length;
        this.slots = slots;
    }

    /** Memory the recordings of one pass may take together. */
    public static final class Budget {
        private final AtomicLong left;

        public Budget(long bytes) {
            this.left = new AtomicLong(bytes);
        }

        /** Room for a budget of this share of what the heap can still take. */
        public static Budget ofFreeHeap(double share) {
            Runtime rt = Runtime.getRuntime();
            long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            return new Budget((long) (Math.max(0, free) * share));
        }

        boolean take(long bytes) {
            return left.addAndGet(-bytes) >= 0;
        }

        public boolean exhausted() {
            return left.get() < 0;
        }
    }

    /** Appends the steps of one sample; {@link #finish()} is null when the budget ran out. */
    static final class Writer {
        private final Budget budget;
        private final int slots;
        private byte[] buf;
        private int pos;
        private boolean overflowed;

        Writer(Budget budget, int slots) {
            this.budget = budget;
            this.slots = slots;
            int initial = 1 << 14;
            this.overflowed = !budget.take(initial);
            this.buf = overflowed ? EMPTY : new byte[initial];
        }

        void beginStep(int step, boolean reset) {
            if (overflowed) {
                return;
            }
            ensure(6);
            buf[pos++] = (byte) (reset ? 1 : 0);
            varint(step);
        }

        /** One value of the step, in slot order: {@code count} entries at {@code indices}, values null when all are 1. */
        void value(int count, int[] indices, float[] values) {
            if (overflowed) {
                return;
            }
            ensure(6 + 5L * count + (values == null ? 0 : 4L * count));
            if (overflowed) {
                return;
            }
            varint(count);
            buf[pos++] = (byte) (values == null ? 0 : 1);
            int prev = -1;
            for (int k = 0; k < count; k++) {
                int d = indices[k] - prev;
                varint((d << 1) ^ (d >> 31)); // zigzag: indices ascend almost always, but need not
                prev = indices[k];
            }
            if (values != null) {
                for (int k = 0; k < count; k++) {
                    int bits = Float.floatToRawIntBits(values[k]);
                    buf[pos++] = (byte) bits;
                    buf[pos++] = (byte) (bits >>> 8);
                    buf[pos++] = (byte) (bits >>> 16);
                    buf[pos++] = (byte) (bits >>> 24);
                }
            }
        }

        CutRecording finish() {
            return overflowed ? null : new CutRecording(pos == 0 ? EMPTY : Arrays.copyOf(buf, pos), pos, slots);
        }

        private void ensure(long more) {
            if (pos + more <= buf.length) {
                return;
            }
            long grown = Math.max(pos + more, buf.length + (buf.length >> 1));
            if (grown > Integer.MAX_VALUE - 16 || !budget.take(grown - buf.length)) {
                overflowed = true;
                buf = EMPTY;
                pos = 0;
                return;
            }
            buf = Arrays.copyOf(buf, (int) grown);
        }

        private void varint(int v) {
            while ((v & ~0x7F) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }
    }

    /** Reads the steps back in order. */
    Reader reader() {
        return new Reader();
    }

    final class Reader {
        private int pos;
        private int step;
        private boolean reset;

        boolean next() {
            if (pos >= length) {
                return false;
            }
            reset = bytes[pos++] != 0;
            step = varint();
            return true;
        }

        int step() {
            return step;
        }

        boolean reset() {
            return reset;
        }

        /** The next value of the current step (call once per slot, in slot order). */
        SpikeStep value() {
            int count = varint();
            boolean hasValues = bytes[pos++] != 0;
            int[] indices = new int[count];
            int prev = -1;
            for (int k = 0; k < count; k++) {
                int z = varint();
                prev += (z >>> 1) ^ -(z & 1);
                indices[k] = prev;
            }
            float[] values = null;
            if (hasValues) {
                values = new float[count];
                for (int k = 0; k < count; k++) {
                    int bits = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16
                            | (bytes[pos + 3] & 0xFF) << 24;
                    pos += 4;
                    values[k] = Float.intBitsToFloat(bits);
                }
            }
            return new SpikeStep(step, count, indices, values, 0L, reset);
        }

        private int varint() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[pos++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }
    }

    int slots() {
        return slots;
    }
}
