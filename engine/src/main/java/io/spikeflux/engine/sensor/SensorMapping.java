package io.spikeflux.engine.sensor;

import io.spikeflux.aer.event.SensorGeometry;

/**
 * Where each pixel of a sensor lands in a model's input, as two lookup tables (one per axis), so
 * mapping an event costs two array reads. Scaling is event-count pooling: every sensor pixel of
 * the region maps to exactly one input pixel ({@code floor(offset * size / regionSize)}), so
 * events are moved, never split or duplicated, and a recording upscaled by an integer factor maps
 * back onto exactly its original counts.
 */
public final class SensorMapping {

    private final SensorGeometry sensor;
    private final int inputWidth;
    private final int inputHeight;
    private final int[] column;
    private final int[] row;
    private final String description;

    SensorMapping(SensorGeometry sensor, RegionOfInterest region, FitMode fit, int inputWidth, int inputHeight) {
        this.sensor = sensor;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        int rx = region.x();
        int ry = region.y();
        int rw = region.width();
        int rh = region.height();
        // the part of the region that is used, and the part of the input it fills
        int usedW = rw;
        int usedH = rh;
        int fillW = inputWidth;
        int fillH = inputHeight;
        if (fit == FitMode.CROP) {
            // compare aspect ratios exactly: rw/rh against inputWidth/inputHeight
            if ((long) rw * inputHeight > (long) rh * inputWidth) {
                usedW = (int) ((long) rh * inputWidth / inputHeight);
            } else {
                usedH = (int) ((long) rw * inputHeight / inputWidth);
            }
        } else if (fit == FitMode.PAD) {
            if ((long) rw * inputHeight > (long) rh * inputWidth) {
                fillH = Math.max(1, (int) ((long) inputWidth * rh / rw));
            } else {
                fillW = Math.max(1, (int) ((long) inputHeight * rw / rh));
            }
        }
        int x0 = rx + (rw - usedW) / 2;
        int y0 = ry + (rh - usedH) / 2;
        int outX0 = (inputWidth - fillW) / 2;
        int outY0 = (inputHeight - fillH) / 2;
        this.column = axis(sensor.width(), x0, usedW, outX0, fillW);
        this.row = axis(sensor.height(), y0, usedH, outY0, fillH);
        this.description = sensor + (region.x() == 0 && region.y() == 0 && rw == sensor.width() && rh == sensor.height()
                ? "" : " roi " + region) + " -> " + fit.cliName() + " " + usedW + "x" + usedH
                + (usedW == fillW && usedH == fillH ? "" : " pooled to " + fillW + "x" + fillH)
                + (fillW == inputWidth && fillH == inputHeight ? "" : " in " + inputWidth + "x" + inputHeight)
                + " input";
    }

    private static int[] axis(int sensorSize, int from, int used, int outFrom, int fill) {
        int[] map = new int[sensorSize];
        java.util.Arrays.fill(map, -1);
        for (int s = from; s < from + used && s < sensorSize; s++) {
            map[s] = outFrom + (int) ((long) (s - from) * fill / used);
        }
        return map;
    }

    public SensorGeometry sensor() {
        return sensor;
    }

    /** The input column of sensor column {@code x}, or -1 when it is not mapped (or not on the sensor). */
    public int column(int x) {
        return x >= 0 && x < column.length ? column[x] : -1;
    }

    /** The input row of sensor row {@code y}, or -1 when it is not mapped (or not on the sensor). */
    public int row(int y) {
        return y >= 0 && y < row.length ? row[y] : -1;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    /** Whether every sensor pixel maps to the input pixel with the same coordinates. */
    public boolean isIdentity() {
        if (sensor.width() != inputWidth || sensor.height() != inputHeight) {
            return false;
        }
        for (int i = 0; i < column.length; i++) {
            if (column[i] != i) {
                return false;
            }
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] != i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return description;
    }
}
