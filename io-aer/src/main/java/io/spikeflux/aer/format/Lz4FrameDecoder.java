package io.spikeflux.aer.format;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decompresses one LZ4 frame, including frames whose blocks depend on earlier blocks. AEDAT 4
 * writers (dv-processing) emit such linked-block frames, which lz4-java's frame stream rejects
 * ("BLOCK_INDEPENDENCE must be set"), so the frame and block formats are decoded here.
 */
final class Lz4FrameDecoder {

    private static final int MAGIC = 0x184D2204;

    private Lz4FrameDecoder() {
    }

    /**
     * Decompresses one frame, refusing one that inflates beyond {@code maxBytes} (a compression
     * bomb). The result is a view of the output array, not a trimmed copy: a copy would hold the
     * packet twice.
     */
    static ByteBuffer decompress(byte[] src, int maxBytes) {
        int ip = 0;
        if (src.length < 7 || le32(src, 0) != MAGIC) {
            throw new IllegalArgumentException("not an LZ4 frame (magic " + (src.length >= 4 ? Integer.toHexString(le32(src, 0)) : "missing") + ")");
        }
        ip += 4;
        int flg = src[ip++] & 0xFF;
        ip++; // BD: block maximum size, not needed with a growable output
        if ((flg >>> 6) != 1) {
            throw new IllegalArgumentException("unsupported LZ4 frame version " + (flg >>> 6));
        }
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean dictId = (flg & 0x01) != 0;
        if (dictId) {
            throw new IllegalArgumentException("LZ4 frames with a dictionary are not supported");
        }
        if (contentSize) {
            ip += 8;
        }
        ip++; // header checksum
        byte[] out = new byte[(int) Math.min(maxBytes, Math.max(64, src.length * 4L))];
        int op = 0;
        while (true) {
            require(src, ip, 4);
            int size = le32(src, ip);
            ip += 4;
            if (size == 0) {
                break;
            }
            boolean raw = (size & 0x80000000) != 0;
            size &= 0x7FFFFFFF;
            require(src, ip, size);
            if (raw) {
                out = ensure(out, op + size, maxBytes);
                System.arraycopy(src, ip, out, op, size);
                op += size;
            } else {
                int[] opHolder = {op};
                out = decodeBlock(src, ip, ip + size, out, opHolder, maxBytes);
                op = opHolder[0];
            }
            ip += size + (blockChecksum ? 4 : 0);
        }
        if (contentChecksum) {
            require(src, ip, 4);
        }
        return ByteBuffer.wrap(out, 0, op).slice();
    }

    /** Decodes one block; matches may reach back into earlier blocks' output (linked blocks). */
    private static byte[] decodeBlock(byte[] src, int ip, int end, byte[] out, int[] opHolder, int maxBytes) {
        int op = opHolder[0];
        while (ip < end) {
            int token = src[ip++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    require(src, ip, 1);
                    b = src[ip++] & 0xFF;
                    literals += b;
                } while (b == 255);
            }
            require(src, ip, literals);
            out = ensure(out, op + literals, maxBytes);
            System.arraycopy(src, ip, out, op, literals);
            ip += literals;
            op += literals;
            if (ip >= end) {
                break; // the last sequence holds literals only
            }
            require(src, ip, 2);
            int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
            ip += 2;
            if (offset == 0 || offset > op) {
                throw new IllegalArgumentException("LZ4 match offset " + offset + " outside the " + op + " bytes decoded");
            }
            int length = token & 0x0F;
            if (length == 15) {
                int b;
                do {
                    require(src, ip, 1);
                    b = src[ip++] & 0xFF;
                    length += b;
                } while (b == 255);
            }
            length += 4;
            out = ensure(out, op + length, maxBytes);
            int from = op - offset;
            if (offset >= length) {
                System.arraycopy(out, from, out, op, length);
            } else {
                for (int k = 0; k < length; k++) {
                    out[op + k] = out[from + k]; // overlapping copy repeats the pattern
                }
            }
            op += length;
        }
        opHolder[0] = op;
        return out;
    }

    private static byte[] ensure(byte[] out, int size, int maxBytes) {
        if (size < 0 || size > maxBytes) {
            throw new IllegalArgumentException("LZ4 frame inflates beyond " + maxBytes + " bytes");
        }
        return size <= out.length ? out : Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max(size, out.length * 2L)));
    }

    private static void require(byte[] src, int ip, int n) {
        if (n < 0 || ip + (long) n > src.length) {
            throw new IllegalArgumentException("LZ4 frame truncated: it ends after " + src.length + " bytes, where "
                    + n + " more are needed from its position " + ip);
        }
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
