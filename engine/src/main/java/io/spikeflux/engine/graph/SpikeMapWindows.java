package io.spikeflux.engine.graph;

import java.util.Arrays;

/**
 * The windows of a convolution over a single-channel spike map, as bit patterns: with a small
 * kernel (a 3x3 kernel is 9 bits) an output pixel's currents depend only on which of its taps
 * spiked (bit {@code ky * kW + kx}), so a table per pattern replaces the scatter
 * ({@link SpikeMapMaxima}, {@link SpikeMapCurrents}).
 */
final class SpikeMapWindows {

    /** Largest window in bits: 2^10 patterns. */
    static final int MAX_TAPS = 10;

    final int taps;
    final int outWidth;
    final int outHeight;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int mapW;
    private final int mapH;
    /** The bits of a pattern's columns {@code kx < kW - 1}: what stays when the window moves right. */
    private final int keepLeft;
    /** Per input pixel, its place in the zero-padded spike map. */
    private final int[] mapIndex;

    SpikeMapWindows(TensorShape in, TensorShape out, int kernelH, int kernelW, int strideH, int strideW, int padTop,
                    int padLeft) {
        this.taps = kernelH * kernelW;
        this.outWidth = out.width();
        this.outHeight = out.height();
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.mapH = Math.max(in.height() + padTop, (out.height() - 1) * strideH + kernelH);
        this.mapW = Math.max(in.width() + padLeft, (out.width() - 1) * strideW + kernelW);
        int keep = 0;
        for (int t = 0; t < taps; t++) {
            keep |= t % kernelW < kernelW - 1 ? 1 << t : 0;
        }
        this.keepLeft = keep;
        this.mapIndex = new int[in.height() * in.width()];
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                mapIndex[y * in.width() + x] = (y + padTop) * mapW + x + padLeft;
            }
        }
    }

    /** Whether a convolution's shape allows pattern tables: one input channel, no groups, a small window. */
    static boolean applies(TensorShape in, int kernelH, int kernelW, int groups) {
        return groups == 1 && in.channels() == 1 && kernelH * kernelW <= MAX_TAPS;
    }

    int pixels() {
        return outHeight * outWidth;
    }

    /** Scratch memory for one thread. */
    Scanner newScanner() {
        return new Scanner();
    }

    /** Finds the patterns of a step's windows; one per thread. */
    final class Scanner {

        private final byte[] map = new byte[mapH * mapW];
        private final int[] columns = new int[mapW];

        private Scanner() {
        }

        /**
         * Writes each output pixel's pattern (row-major) to {@code patterns} for the spikes at
         * {@code active[0..count)}.
         *
         * @return false, with nothing written, when the indices do not strictly ascend: a table
         *         adds in ascending input order, as the scatter does, and a pixel listed twice has
         *         input 2
         */
        boolean scan(int[] active, int count, int[] patterns) {
            for (int k = 1; k < count; k++) {
                if (active[k] <= active[k - 1]) {
                    return false;
                }
            }
            byte[] map = this.map;
            int[] columns = this.columns;
            Arrays.fill(map, (byte) 0);
            for (int k = 0; k < count; k++) {
                map[mapIndex[active[k]]] = 1;
            }
            int kernelW = SpikeMapWindows.this.kernelW;
            int keepLeft = SpikeMapWindows.this.keepLeft;
            int mapW = SpikeMapWindows.this.mapW;
            int lastRow = (kernelH - 1) * kernelW;
            int p = 0;
            for (int oy = 0; oy < outHeight; oy++) {
                // each column of this output row's windows as bits (ky * kW); with stride 1 a row's
                // columns are the previous row's shifted up by one kernel row, plus the new bottom row
                int top = oy * strideH * mapW;
                if (oy > 0 && strideH == 1) {
                    int bottom = top + (kernelH - 1) * mapW;
                    for (int x = 0; x < mapW; x++) {
                        columns[x] = columns[x] >>> kernelW | map[bottom + x] << lastRow;
                    }
                } else {
                    for (int x = 0; x < mapW; x++) {
                        int bits = 0;
                        for (int ky = 0, at = top + x; ky < kernelH; ky++, at += mapW) {
                            bits |= map[at] << ky * kernelW;
                        }
                        columns[x] = bits;
                    }
                }
                // a pixel ORs kW columns; with stride 1 its pattern is its left neighbour's moved
                // one column left, plus the new right column
                int pattern = 0;
                for (int ox = 0; ox < outWidth; ox++) {
                    int left = ox * strideW;
                    if (ox > 0 && strideW == 1) {
                        pattern = (pattern >>> 1 & keepLeft) | columns[left + kernelW - 1] << (kernelW - 1);
                    } else {
                        pattern = 0;
                        for (int kx = 0; kx < kernelW; kx++) {
                            pattern |= columns[left + kx] << kx;
                        }
                    }
                    patterns[p++] = pattern;
                }
            }
            return true;
        }
    }
}
