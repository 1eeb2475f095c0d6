package io.spikeflux.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Models and recordings shipped in the repository, found from the launcher's directory. */
final class BundledFiles {

    private BundledFiles() {
    }

    /** The repository root: {@code -Dspikeflux.home} (set by ./spikeflux) or the working directory. */
    static Path home() {
        String h = System.getProperty("spikeflux.home");
        return h != null ? Path.of(h) : Path.of("").toAbsolutePath();
    }

    static Path resolve(String relative) {
        Path p = home().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("bundled file missing: " + p + " (run from the SpikeFlux checkout or pass the path)");
        }
        return p;
    }
}
