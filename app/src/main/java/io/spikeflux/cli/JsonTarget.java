package io.spikeflux.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command's JSON goes, the same rule in every command: {@code --json FILE} writes it to
 * FILE next to the usual text on stdout; {@code --json -} puts it on stdout, and the text report
 * moves to stderr so that stdout stays parseable. Logs never go to stdout.
 */
final class JsonTarget {

    static final String STDOUT = "-";

    private final String target;
    private PrintStream lines;

    private JsonTarget(String target) {
        this.target = target;
    }

    /** picocli converter for {@code --json FILE|-}. */
    static final class Converter implements CommandLine.ITypeConverter<JsonTarget> {
        @Override
        public JsonTarget convert(String value) {
            if (value.isBlank()) {
                throw new CommandLine.TypeConversionException("--json needs a FILE, or - for stdout");
            }
            return new JsonTarget(value);
        }
    }

    /** Where the text report goes when JSON was asked for as {@code json} (which may be null). */
    static PrintStream text(JsonTarget json) {
        return json != null && json.toStdout() ? System.err : System.out;
    }

    boolean toStdout() {
        return STDOUT.equals(target);
    }

    /** Writes one report (indented). */
    void write(Object report) {
        if (toStdout()) {
            System.out.println(Json.pretty(report));
        } else {
            Json.write(Path.of(target), report);
        }
    }

    /** Appends one compact JSON line (streams of decisions or status lines). */
    synchronized void line(Object value) {
        if (lines == null) {
            lines = toStdout() ? System.out : open(Path.of(target));
        }
        lines.println(Json.line(value));
        lines.flush();
    }

    private static PrintStream open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return target;
    }
}
