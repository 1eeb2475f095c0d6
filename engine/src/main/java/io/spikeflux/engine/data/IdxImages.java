package io.spikeflux.engine.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reader for the IDX files of MNIST and Fashion-MNIST (gzip or plain). */
final class IdxImages {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxImages() {
    }

    /** Images as pixel / 255, row-major (which is channel-last for one channel). */
    static float[][] readImages(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + ": at byte 0: not an IDX image file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int count = Math.min(in.readInt(), limit);
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] raw = new byte[rows * cols];
            float[][] images = new float[count][rows * cols];
            for (int i = 0; i < count; i++) {
                try {
                    in.readFully(raw);
                } catch (EOFException e) {
                    throw new IOException(file + ": truncated: image " + i + " (byte " + (16L + (long) i * raw.length)
                            + " of the uncompressed data) is incomplete");
                }
                for (int p = 0; p < raw.length; p++) {
                    images[i][p] = (raw[p] & 0xFF) / 255f;
                }
            }
            return images;
        }
    }

    static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": at byte 0: not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int count = Math.min(in.readInt(), limit);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                try {
                    labels[i] = in.readUnsignedByte();
                } catch (EOFException e) {
                    throw new IOException(file + ": truncated at label " + i + " (byte " + (8 + i) + ")");
                }
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        try {
            InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
    }
}
