package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.format.RecordingFormat;
import io.spikeflux.aer.format.RecordingFormats;
import io.spikeflux.engine.calibrate.CalibrationMethod;
import io.spikeflux.engine.calibrate.Correction;
import io.spikeflux.engine.calibrate.ResidualMode;
import io.spikeflux.engine.snn.ResetMode;

import io.spikeflux.engine.model.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spikeflux} command. */
@Command(name = "spikeflux", mixinStandardHelpOptions = true, versionProvider = SpikeFlux.VersionProvider.class,
        description = "Convert trained ANNs to spiking networks and run them on event streams.",
        subcommands = {InspectCommand.class, AnnEvalCommand.class, CalibrateCommand.class, EvaluateCommand.class, CompareCommand.class,
                InfoCommand.class, ConvertCommand.class, ListenCommand.class, LiveCommand.class, DemoCommand.class,
                CameraCommand.class, BridgeCommand.class,
                CommandLine.HelpCommand.class})
public final class SpikeFlux implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Without SLF4J, Reactor's console logger prints INFO lines on stdout; the JDK's logging
        // goes to stderr, and stdout stays for results and --json -
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // one line per message: "WARNING: sensor ... failed and was evicted: ..."
            System.setProperty("java.util.logging.SimpleFormatter.format", "spikeflux: %4$s: %5$s%6$s%n");
        }
        reactor.util.Loggers.useJdkLoggers();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SpikeFlux());
        // Typed options: a bad value is a usage error (exit 2) naming the option, before any work starts.
        cl.registerConverter(CalibrationMethod.class, typed(CalibrationMethod::parse));
        cl.registerConverter(ResetMode.class, typed(ResetMode::parse));
        cl.registerConverter(ResidualMode.class, typed(ResidualMode::parse));
        cl.registerConverter(Correction.class, typed(Correction::parse));
        cl.registerConverter(Transport.class, typed(Transport::parse));
        cl.registerConverter(AddressLayout.class, typed(AddressLayout::parse));
        cl.registerConverter(SensorGeometry.class, typed(SpikeFlux::geometry));
        cl.registerConverter(RecordingFormat.class, typed(RecordingFormats::parse));
        cl.registerConverter(io.spikeflux.aer.event.KnownCamera.class, typed(io.spikeflux.aer.event.KnownCamera::parse));
        cl.registerConverter(io.spikeflux.engine.sensor.RegionOfInterest.class, typed(io.spikeflux.engine.sensor.RegionOfInterest::parse));
        cl.registerConverter(io.spikeflux.engine.sensor.FitMode.class, typed(io.spikeflux.engine.sensor.FitMode::parse));
        cl.registerConverter(io.spikeflux.engine.encode.InputCoding.class, typed(io.spikeflux.engine.encode.InputCoding::parse));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get one line naming what went wrong; SPIKEFLUX_DEBUG=1 shows the stack trace.
            cmd.getErr().println("spikeflux " + cmd.getCommandName() + ": error: " + message(e));
            if (System.getenv("SPIKEFLUX_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * A converter whose parser's IllegalArgumentException becomes picocli's conversion error with
     * the parser's own message (not "cannot convert ... (java.lang.IllegalArgumentException: ...)").
     */
    private static <T> CommandLine.ITypeConverter<T> typed(java.util.function.Function<String, T> parse) {
        return text -> {
            try {
                return parse.apply(text);
            } catch (CommandLine.TypeConversionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
    }

    /** A run that failed (bad file, unsupported model, network error); usage errors exit 2 (picocli's rule). */
    static final int EXIT_FAILURE = 1;

    static SensorGeometry geometry(String text) {
        String[] wh = text.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (wh.length == 2) {
                return new SensorGeometry(Integer.parseInt(wh[0].strip()), Integer.parseInt(wh[1].strip()));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not a sensor size WIDTHxHEIGHT, e.g. 346x260");
    }

    /**
     * The error's one line: names and text taken from a hostile file (an ONNX node name, a header
     * field) may hold newlines or control bytes, which would split or garble it.
     */
    private static String message(Throwable e) {
        String m = e.getMessage();
        m = m == null || m.isBlank() ? e.toString() : m;
        return m.replaceAll("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]", "?");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"spikeflux " + Version.current()};
        }
    }
}
