package dev.pulse.cli;

import dev.pulse.error.PulseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code pulse} command: subcommands, and the mapping from failures to exit codes (docs/cli.md#exit-codes). */
@Command(
        name = "pulse",
        mixinStandardHelpOptions = true,
        versionProvider = PulseCli.Version.class,
        description = "Warehouse-native experiment analysis: correct results when the unit of assignment differs from the unit of analysis.",
        subcommands = {
            DemoCommand.class,
            AnalyzeCommand.class,
            SqlCommand.class,
            ValidateCommand.class,
            SchemaCommand.class,
            StatsCommand.class,
            PowerCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PulseCli implements Runnable {
    /** {@code pulse --version}: the version of the Java API's {@link dev.pulse.api.Pulse#version()}, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pulse " + dev.pulse.api.Pulse.version()};
        }
    }

    /** Exit code for an unexpected internal error. */
    static final int INTERNAL_ERROR = 1;
    /** Exit code for bad input: config, arguments, data that cannot be analysed. */
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * An error that escaped the command and picocli (a {@link Error}, which picocli does not handle):
     * one line, the trace only with {@code --verbose}.
     */
    private static int internalError(PrintWriter err, Throwable error, String[] args, String what) {
        err.println("internal error: " + what);
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            error.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace, and please report it)");
        }
        return INTERNAL_ERROR;
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new PulseCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine command = exception.getCommandLine();
            command.getErr().println("error: " + exception.getMessage());
            command.getErr().println("see '" + command.getCommandSpec().qualifiedName() + " --help'");
            return BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(sub -> sub.hasMatchedOption("--verbose"));
            PrintWriter errors = command.getErr();
            if (exception instanceof PulseException pulse) {
                errors.println("error: " + pulse.getMessage());
                if (verbose) {
                    pulse.printStackTrace(errors);
                }
                errors.flush();
                return pulse.category().exitCode();
            }
            errors.println("internal error: " + exception);
            if (verbose) {
                exception.printStackTrace(errors);
            } else {
                errors.println("(run with --verbose for the stack trace, and please report it)");
            }
            errors.flush();
            return INTERNAL_ERROR;
        });
        int code;
        try {
            code = commandLine.execute(args);
        } catch (StackOverflowError e) {
            code = internalError(err, e, args, "the input nests too deeply");
        } catch (OutOfMemoryError e) {
            code = internalError(err, e, args, "out of memory (give the JVM more with PULSE_JAVA_OPTS=\"-Xmx4g\")");
        } catch (Throwable e) { // any other Error that escaped the command: never a bare JVM trace
            code = internalError(err, e, args, e.toString());
        }
        out.flush();
        err.flush();
        return code;
    }
}
