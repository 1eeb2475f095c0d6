package io.spikeflux.view;

import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.format.Recording;
import io.spikeflux.view.picture.RecordingPicture;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingPictureTest {

    private static final Path EVENTS = Path.of("..", "io-aer", "src", "test", "resources", "events");

    @Test
    void theFrameLightsExactlyThePixelsWithEventsInTheWindow() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Recording r = Recording.open(EVENTS.resolve("dvxplorer_lite_sample.aedat4"), null);
        long from = 100_000;
        long window = 20_000;
        RecordingPicture picture = new RecordingPicture(r.geometry(), from, window);
        Set<Integer> pixels = new HashSet<>();
        Set<Integer> onPixels = new HashSet<>();
        long first = Long.MIN_VALUE;
        long inWindow = 0;
        for (EventPacket p : r.events().toIterable()) {
            picture.accept(p);
            for (int i = 0; i < p.size(); i++) {
                if (first == Long.MIN_VALUE) {
                    first = p.timestampUs(i);
                }
                long t = p.timestampUs(i) - first;
                if (t >= from && t < from + window) {
                    pixels.add(p.y(i) * r.geometry().width() + p.x(i));
                    if (p.polarity(i) != 0) {
                        onPixels.add(p.y(i) * r.geometry().width() + p.x(i));
                    }
                    inWindow++;
                }
            }
        }
        assertEquals(inWindow, picture.windowEvents());
        assertTrue(inWindow > 1000, "the window holds events: " + inWindow);
        Path png = Files.createTempFile("picture", ".png");
        picture.write(png, "dvxplorer");
        BufferedImage img = ImageIO.read(png.toFile());
        int s = picture.scale();
        assertEquals(2, s, "320 wide is drawn twice as large");
        assertEquals(r.geometry().width() * s, img.getWidth());
        int lit = 0;
        int green = 0;
        int background = 0x101418;
        for (int y = 0; y < r.geometry().height(); y++) {
            for (int x = 0; x < r.geometry().width(); x++) {
                int rgb = img.getRGB(x * s, 44 + y * s) & 0xFFFFFF;
                if (rgb != background) {
                    lit++;
                    if (((rgb >> 8) & 0xFF) > ((rgb >> 16) & 0xFF)) {
                        green++;
                    }
                }
            }
        }
        assertEquals(pixels.size(), lit, "one lit pixel per pixel with events");
        assertTrue(green > 0 && green <= onPixels.size(), "ON pixels are green: " + green + " of " + onPixels.size());
        Files.delete(png);
    }
}
