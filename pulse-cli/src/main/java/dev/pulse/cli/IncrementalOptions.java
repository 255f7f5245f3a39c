package dev.pulse.cli;

import dev.pulse.api.Incremental;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of an incremental refresh (docs/incremental.md), shared by {@code pulse analyze} and {@code pulse serve}:
 * each experiment's state in the warehouse is brought up to date and its results computed from it.
 */
final class IncrementalOptions {
    @Option(names = "--incremental", description = "Refresh each experiment's state in the warehouse"
            + " ([staging_schema.]pulse_state_<experiment>__*), reading only the days after the last one it holds less"
            + " the lookback, and compute the results from it; the same numbers as a full run (docs/incremental.md).")
    boolean incremental;

    @Option(names = "--full-refresh", description = "With --incremental: rebuild the state from every day.")
    boolean fullRefresh;

    @Option(names = "--lookback-days", paramLabel = "DAYS", defaultValue = "2",
            description = "With --incremental: how many of the last days the state holds are read again for rows that"
                    + " land late (default: ${DEFAULT-VALUE}).")
    int lookbackDays;

    @Option(names = "--no-history-check", description = "With --incremental: do not count the rows per day of the"
            + " days before the lookback (a row landing later than the lookback is then missed until --full-refresh).")
    boolean noHistoryCheck;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The refresh settings when --incremental is given; the options that need it are refused without it. */
    java.util.Optional<Incremental> settings() {
        boolean asked = fullRefresh || noHistoryCheck || spec.commandLine().getParseResult().hasMatchedOption("--lookback-days");
        if (!incremental) {
            if (asked) {
                throw new ParameterException(spec.commandLine(),
                        "--full-refresh, --lookback-days and --no-history-check need --incremental");
            }
            return java.util.Optional.empty();
        }
        if (lookbackDays < 0 || lookbackDays > 366) {
            throw new ParameterException(spec.commandLine(), "--lookback-days must be 0 to 366, got " + lookbackDays);
        }
        return java.util.Optional.of(new Incremental(lookbackDays, fullRefresh, !noHistoryCheck));
    }
}
