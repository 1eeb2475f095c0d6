package io.spikeflux.cli;

import io.spikeflux.engine.model.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spikeflux} command. */
@Command(name = "spikeflux", mixinStandardHelpOptions = true, versionProvider = SpikeFlux.VersionProvider.class,
        description = "Convert trained ANNs to spiking networks and run them on event streams.",
        subcommands = {InspectCommand.class, AnnEvalCommand.class, CalibrateCommand.class, EvaluateCommand.class,
                InfoCommand.class, ConvertCommand.class, ListenCommand.class, LiveCommand.class, DemoCommand.class,
                CameraCommand.class,
                CommandLine.HelpCommand.class})
public final class SpikeFlux implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SpikeFlux());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Users get one line naming what went wrong; SPIKEFLUX_DEBUG=1 shows the stack trace.
            cmd.getErr().println("spikeflux " + cmd.getCommandName() + ": error: " + message(e));
            if (System.getenv("SPIKEFLUX_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
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
