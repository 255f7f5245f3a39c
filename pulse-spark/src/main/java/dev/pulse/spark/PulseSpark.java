package dev.pulse.spark;

import dev.pulse.cli.PulseCli;

import java.io.PrintWriter;

/**
 * The {@code spark-submit} entry point: the {@code pulse} command line with the Spark warehouse on the
 * classpath, so that a config with {@code engine: spark} runs its SQL through Spark:
 * {@code spark-submit --class dev.pulse.spark.PulseSpark pulse-spark.jar analyze --config pulse.yaml}.
 * Results go to stdout or {@code --out}, errors to stderr, and the exit code is the CLI's (docs/cli.md#exit-codes).
 *
 * <p>On success {@code main} returns instead of calling {@link System#exit}: platforms that run the main
 * class inside a running driver (Databricks JAR tasks) ask programs not to exit; a failure exits with its code.
 */
public final class PulseSpark {

    private PulseSpark() {}

    public static void main(String[] args) {
        int code = PulseCli.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
