package io.spikeflux.aer.event;

import java.util.Locale;

/**
 * Raw jAER event addresses (AEDAT 2.0 files and jAER UDP). jAER's origin is bottom-left with x
 * mirrored; {@link #decodeX}/{@link #decodeY} give SpikeFlux's top-left coordinates.
 */
public enum AddressLayout {
    /** DVS128: bit 15 special, y in 14..8, x in 7..1, bit 0 = 0 for ON. */
    DVS128 {
        @Override
        public boolean isDvs(int a) {
            return (a & 0x8000) == 0;
        }

        @Override
        int rawX(int a) {
            return (a >>> 1) & 0x7F;
        }

        @Override
        int rawY(int a) {
            return (a >>> 8) & 0x7F;
        }

        @Override
        public int polarity(int a) {
            return 1 - (a & 1);
        }

        @Override
        int pack(int rawX, int rawY, int polarity) {
            return (rawY << 8) | (rawX << 1) | (1 - polarity);
        }
    },
    /** DAVIS: bit 31 APS, bit 10 external/IMU, y in 30..22, x in 21..12, bit 11 = 1 for ON. */
    DAVIS {
        @Override
        public boolean isDvs(int a) {
            return (a & 0x80000000) == 0 && (a & 0x400) == 0;
        }

        @Override
        int rawX(int a) {
            return (a >>> 12) & 0x3FF;
        }

        @Override
        int rawY(int a) {
            return (a >>> 22) & 0x1FF;
        }

        @Override
        public int polarity(int a) {
            return (a >>> 11) & 1;
        }

        @Override
        int pack(int rawX, int rawY, int polarity) {
            return (rawY << 22) | (rawX << 12) | (polarity << 11);
        }
    };

    /** Whether the address is a DVS pixel event (not APS, IMU, external input or sync). */
    public abstract boolean isDvs(int address);

    abstract int rawX(int address);

    abstract int rawY(int address);

    public abstract int polarity(int address);

    abstract int pack(int rawX, int rawY, int polarity);

    public int decodeX(int address, SensorGeometry g) {
        return g.width() - 1 - rawX(address);
    }

    public int decodeY(int address, SensorGeometry g) {
        return g.height() - 1 - rawY(address);
    }

    public int encode(int x, int y, int polarity, SensorGeometry g) {
        return pack(g.width() - 1 - x, g.height() - 1 - y, polarity);
    }

    /** DVS128 addresses for 128x128 sensors, DAVIS addresses for everything else. */
    public static AddressLayout forGeometry(SensorGeometry g) {
        return g.width() == 128 && g.height() == 128 ? DVS128 : DAVIS;
    }

    public static AddressLayout parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "dvs128" -> DVS128;
            case "davis" -> DAVIS;
            default -> throw new IllegalArgumentException("unknown address layout '" + s + "'; use davis or dvs128");
        };
    }
}
