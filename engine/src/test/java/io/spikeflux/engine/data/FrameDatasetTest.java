package io.spikeflux.engine.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameDatasetTest {

    @Test
    void imageFilesAreGrayResizedAndLabelledByTheirDirectory(@TempDir Path tmp) throws Exception {
        // 56x56: white in the top-left 28x28 quarter, black elsewhere; half-intensity gray in one 2x2 block
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        img.setRGB(40, 40, 0xFFFFFF);
        img.setRGB(41, 41, 0xFFFFFF);
        Files.createDirectories(tmp.resolve("3"));
        ImageIO.write(img, "png", tmp.resolve("3").resolve("a.png").toFile());
        ImageIO.write(img, "png", tmp.resolve("unlabelled.png").toFile());

        FrameDataset d = FrameDataset.loadImages(tmp, 28, 28, 10);
        assertEquals(2, d.size());
        assertEquals(3, d.get(0).label(), "3/a.png");
        assertEquals(-1, d.get(1).label());
        float[] f = d.get(0).annInput();
        assertEquals(28 * 28, f.length);
        assertEquals(1f, f[0], 1e-6);
        assertEquals(1f, f[13 * 28 + 13], 1e-6);
        assertEquals(0f, f[27 * 28 + 27], 1e-6);
        assertEquals(0.5f, f[20 * 28 + 20], 0.01, "two of the four source pixels were white");
    }
}
