package io.spikeflux.aer.format;

import java.util.List;

/** What every format states about itself: names, title and file-name extensions. */
abstract class AbstractRecordingFormat implements RecordingFormat {

    private final String name;
    private final String title;
    private final List<String> aliases;
    private final List<String> extensions;

    AbstractRecordingFormat(String name, String title, List<String> aliases, List<String> extensions) {
        this.name = name;
        this.title = title;
        this.aliases = List.copyOf(aliases);
        this.extensions = List.copyOf(extensions);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> aliases() {
        return aliases;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final List<String> extensions() {
        return extensions;
    }

    @Override
    public String toString() {
        return title;
    }
}
