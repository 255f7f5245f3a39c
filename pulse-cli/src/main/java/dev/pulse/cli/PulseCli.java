package dev.pulse.cli;

import dev.pulse.error.PulseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code pulse} command: subcommands, and the mapping from failures to exit codes (DESIGN §6). */
@Command(
        name = "pulse",
        mixinStandardHelpOptions = true,
        version = "pulse 0.1.0",
        description = "Warehouse-native experiment analysis: correct results when the unit of assignment differs from the unit of analysis.",
        subcommands = {
            DemoCommand.class,
            AnalyzeCommand.class,
            SqlCommand.class,
            ValidateCommand.class,
            StatsCommand.class,
            PowerCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PulseCli implements Runnable {
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
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
