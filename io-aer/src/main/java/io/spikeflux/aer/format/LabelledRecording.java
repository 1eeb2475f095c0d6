package io.spikeflux.aer.format;

import java.nio.file.Path;

/** A recording file and its ground-truth class. */
public record LabelledRecording(Path file, int label) {
}
