package io.spikeflux.cli;

import io.spikeflux.aer.event.KnownCamera;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.SourceTable;
import io.spikeflux.engine.sensor.FitMode;
import io.spikeflux.engine.sensor.InputFit;
import io.spikeflux.engine.sensor.RegionOfInterest;
import io.spikeflux.engine.sensor.SensorFits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet's sensors file: one camera per line, {@code ADDRESS[:PORT] NAME SIZE [roi=X,Y,W,H]
 * [fit=crop|stretch|pad]}, where SIZE is {@code WxH} or a camera name ({@code davis346}); blank
 * lines and {@code #} comments are skipped. Datagrams from the address become sensor NAME with
 * that size, mapped onto the model by its own region and fit.
 */
record SensorsFile(SourceTable sources, Map<String, InputFit> fits) {

    static SensorsFile read(Path file, InputFit defaultFit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read sensors file: " + e.getMessage(), e);
        }
        Map<String, SourceTable.Entry> sources = new LinkedHashMap<>();
        Map<String, InputFit> fits = new LinkedHashMap<>();
        Map<String, Integer> lineOfName = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ": line " + (n + 1) + ": ";
            String[] f = line.split("\\s+");
            if (f.length < 3) {
                throw new IllegalArgumentException(where + "expected ADDRESS[:PORT] NAME WxH|CAMERA [roi=X,Y,W,H] [fit=MODE]");
            }
            try {
                SensorGeometry g = f[2].matches("\\d+[xX]\\d+") ? SpikeFlux.geometry(f[2]) : KnownCamera.parse(f[2]).geometry();
                RegionOfInterest roi = defaultFit.roi();
                FitMode mode = defaultFit.fit();
                for (int k = 3; k < f.length; k++) {
                    if (f[k].startsWith("roi=")) {
                        roi = RegionOfInterest.parse(f[k].substring(4)).within(g);
                    } else if (f[k].startsWith("fit=")) {
                        mode = FitMode.parse(f[k].substring(4));
                    } else {
                        throw new IllegalArgumentException("unknown field '" + f[k] + "' (roi=X,Y,W,H or fit=MODE)");
                    }
                }
                if (sources.put(f[0], new SourceTable.Entry(f[1], g)) != null) {
                    throw new IllegalArgumentException("address " + f[0] + " is listed twice");
                }
                // one name is one sensor pipeline: two cameras under it would mix their events
                Integer earlier = lineOfName.putIfAbsent(f[1], n + 1);
                if (earlier != null) {
                    throw new IllegalArgumentException("name '" + f[1] + "' is already used on line " + earlier
                            + ": each camera needs a name of its own");
                }
                fits.put(f[1], new InputFit(roi, mode));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        return new SensorsFile(new SourceTable(sources), fits);
    }

    SensorFits sensorFits(InputFit defaultFit) {
        return new SensorFits(defaultFit, fits);
    }
}
