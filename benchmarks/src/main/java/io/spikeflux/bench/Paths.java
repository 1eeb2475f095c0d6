package io.spikeflux.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Bundled models and fixtures, found from the repository root (run the benchmarks from there). */
final class Paths {

    private Paths() {
    }

    static Path repo(String relative) {
        Path p = Path.of(System.getProperty("spikeflux.home", ".")).resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p.toAbsolutePath() + " not found: run the benchmarks from the repository root");
        }
        return p;
    }
}
