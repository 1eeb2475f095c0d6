package io.spikeflux.engine.sensor;

import io.spikeflux.aer.event.SensorGeometry;

/** A rectangle of sensor pixels: {@code x <= px < x + width}, {@code y <= py < y + height}. */
public record RegionOfInterest(int x, int y, int width, int height) {

    public RegionOfInterest {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("region of interest needs x, y >= 0 and a positive size: "
                    + x + "," + y + "," + width + "," + height);
        }
    }

    /** The whole sensor. */
    public static RegionOfInterest of(SensorGeometry g) {
        return new RegionOfInterest(0, 0, g.width(), g.height());
    }

    /** Parses {@code X,Y,W,H}. */
    public static RegionOfInterest parse(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not a region X,Y,W,H (e.g. 156,113,34,34)");
        }
        try {
            return new RegionOfInterest(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()),
                    Integer.parseInt(p[2].strip()), Integer.parseInt(p[3].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a region X,Y,W,H (e.g. 156,113,34,34)");
        }
    }

    /** Fails unless the region lies inside the sensor. */
    public RegionOfInterest within(SensorGeometry g) {
        if (x + width > g.width() || y + height > g.height()) {
            throw new IllegalArgumentException("region of interest " + this + " reaches outside the " + g + " sensor");
        }
        return this;
    }

    @Override
    public String toString() {
        return x + "," + y + "," + width + "," + height;
    }
}
