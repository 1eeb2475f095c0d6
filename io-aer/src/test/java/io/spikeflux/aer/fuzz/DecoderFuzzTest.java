package io.spikeflux.aer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spikeflux.aer.format.Aedat4StreamDecoder;
import io.spikeflux.aer.format.Aedat4StreamException;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.aer.format.RecordingFormatException;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile bytes into the decoders: every outcome must be events or the decoder's own error
 * naming an offset; any other exception, a hang or running out of memory is a finding. With the
 * tests, only the seeds run (files below {@code DecoderFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes a target for its {@code maxDuration}.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void aedat4NetworkStream(byte[] data) {
        Aedat4StreamDecoder d = new Aedat4StreamDecoder("fuzz", 512, 1 << 20);
        try {
            // in two chunks, so the framing across chunk borders is exercised too
            int half = data.length / 2;
            d.feed(ByteBuffer.wrap(data, 0, half));
            d.feed(ByteBuffer.wrap(data, half, data.length - half));
        } catch (Aedat4StreamException expected) {
            // a named error at an offset
        }
    }

    @FuzzTest(maxDuration = "20s")
    void recordingFiles(byte[] data) throws Exception {
        // the first byte picks the file name (N-MNIST is recognised by its extension), the rest is the file
        String[] names = {"f.aedat4", "f.aedat", "f.raw", "f.dat", "f.bin"};
        if (data.length < 1) {
            return;
        }
        Path file = Files.createTempFile("fuzz", names[(data[0] & 0xFF) % names.length]);
        try {
            Files.write(file, java.util.Arrays.copyOfRange(data, 1, data.length));
            try {
                Recording r = Recording.open(file);
                r.events(256).take(10_000).blockLast();
            } catch (RecordingFormatException expected) {
                // a named error at an offset
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
