package io.spikeflux.aer.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Just enough FlatBuffers to read AEDAT 4 tables: a table at an absolute position in a
 * little-endian buffer, fields looked up through its vtable. Bounds are checked so that a corrupt
 * packet gives an error instead of garbage.
 */
final class FlatTable {

    private final ByteBuffer buf;
    private final int table;
    private final int vtable;
    private final int vtableSize;

    private FlatTable(ByteBuffer buf, int table) {
        this.buf = buf;
        this.table = table;
        check(table, 4);
        this.vtable = table - buf.getInt(table);
        check(vtable, 4);
        this.vtableSize = buf.getShort(vtable) & 0xFFFF;
        check(vtable, vtableSize);
    }

    /** The root table of a flatbuffer starting at {@code start}. */
    static FlatTable root(ByteBuffer buf, int start) {
        if (start + 4 > buf.limit()) {
            throw new IllegalArgumentException("flatbuffer shorter than its root offset");
        }
        return new FlatTable(buf, start + buf.getInt(start));
    }

    static String identifier(ByteBuffer buf, int start) {
        if (start + 8 > buf.limit()) {
            return "";
        }
        byte[] id = new byte[4];
        buf.get(start + 4, id);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** Absolute position of field {@code index}, or -1 when absent (default value). */
    int field(int index) {
        int entry = 4 + 2 * index;
        if (entry + 2 > vtableSize) {
            return -1;
        }
        int off = buf.getShort(vtable + entry) & 0xFFFF;
        return off == 0 ? -1 : table + off;
    }

    int intField(int index, int dflt) {
        int f = field(index);
        if (f < 0) {
            return dflt;
        }
        check(f, 4);
        return buf.getInt(f);
    }

    long longField(int index, long dflt) {
        int f = field(index);
        if (f < 0) {
            return dflt;
        }
        check(f, 8);
        return buf.getLong(f);
    }

    String stringField(int index) {
        int f = field(index);
        if (f < 0) {
            return "";
        }
        check(f, 4);
        int s = f + buf.getInt(f);
        check(s, 4);
        int len = buf.getInt(s);
        check(s + 4, len);
        byte[] b = new byte[len];
        buf.get(s + 4, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Position of the first element of vector field {@code index}, and its length via {@link #vectorLength}. */
    int vectorStart(int index) {
        int f = field(index);
        if (f < 0) {
            return -1;
        }
        check(f, 4);
        int v = f + buf.getInt(f);
        check(v, 4);
        return v + 4;
    }

    int vectorLength(int index) {
        int start = vectorStart(index);
        return start < 0 ? 0 : buf.getInt(start - 4);
    }

    void check(int pos, int len) {
        if (pos < 0 || len < 0 || (long) pos + len > buf.limit()) {
            throw new IllegalArgumentException("flatbuffer reference out of bounds (" + pos + "+" + len + " of "
                    + buf.limit() + " bytes)");
        }
    }
}
