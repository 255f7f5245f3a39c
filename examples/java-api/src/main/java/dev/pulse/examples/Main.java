package dev.pulse.examples;

import dev.pulse.api.Config;
import dev.pulse.api.ExperimentSummary;
import dev.pulse.api.Format;
import dev.pulse.api.Lift;
import dev.pulse.api.MetricSummary;
import dev.pulse.api.Pulse;
import dev.pulse.api.Results;
import dev.pulse.error.PulseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Analyses an experiment with Pulse's Java API and prints each metric's lift. The config's sources are SQL queries
 * that make the data inside the embedded DuckDB (no files): 2,000 users alternate between control and treatment and
 * buy once each, for 10 ± 2 in control and 11 ± 2 in treatment, so revenue per user rises by exactly 10 %.
 */
public final class Main {
    static final String CONFIG = """
            sources:
              exposures:
                sql: |
                  SELECT 'u' || CAST(i AS VARCHAR) AS user_id,
                         TIMESTAMP '2026-03-01 00:00:00' + to_days(CAST(i % 7 AS INTEGER)) AS exposed_at,
                         'checkout_v2' AS experiment,
                         CASE WHEN i % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant
                  FROM range(2000) AS t(i)
                timestamp: exposed_at
                ids: {user_id: user_id}
                experiment: experiment
                group: variant
              purchases:
                sql: |
                  SELECT 'u' || CAST(i AS VARCHAR) AS user_id,
                         TIMESTAMP '2026-03-01 01:00:00' + to_days(CAST(i % 7 AS INTEGER)) AS ts,
                         10 + i % 2 + (i // 2) % 5 - 2 AS revenue
                  FROM range(2000) AS t(i)
                timestamp: ts
                ids: {user_id: user_id}
            metrics:
              revenue: {type: sum, source: purchases, value: revenue}
            experiments:
              checkout_v2:
                assignment: exposures
                unit: user_id
                control: control
                groups: {control: 0.5, treatment: 0.5}
                start: 2026-03-01
                end: 2026-03-14
                metrics: [revenue]
            """;

    private Main() {
    }

    /** Prints each lift; with an argument, also writes the HTML report to that file. */
    public static void main(String[] args) throws IOException {
        try {
            // a config from a file works the same: Pulse.config(Path.of("pulse.yaml"))
            Config config = Pulse.config(CONFIG, Path.of("pulse.yaml"));
            Results results = Pulse.analysis(config).experiments("checkout_v2").run();
            System.out.println("Pulse " + Pulse.version());
            for (ExperimentSummary experiment : results.experiments()) {
                for (MetricSummary metric : experiment.metrics()) {
                    for (Lift lift : metric.lifts()) {
                        System.out.println(describe(experiment, metric, lift));
                    }
                }
            }
            if (args.length > 0) {
                Files.writeString(Path.of(args[0]), results.render(Format.HTML));
            }
        } catch (PulseException e) {
            // the category says what went wrong; pulse analyze exits with its exit code
            System.err.println("error: " + e.getMessage());
            System.exit(e.category().exitCode());
        }
    }

    /** One line: {@code checkout_v2 revenue: treatment vs control +10.00% [+6.84%, +13.16%], p = 0.0000, significant}. */
    static String describe(ExperimentSummary experiment, MetricSummary metric, Lift lift) {
        String interval = lift.relative().lower().isPresent() && lift.relative().upper().isPresent()
                ? String.format(Locale.ROOT, " [%+.2f%%, %+.2f%%]", 100 * lift.relative().lower().getAsDouble(),
                        100 * lift.relative().upper().getAsDouble())
                : "";
        return String.format(Locale.ROOT, "%s %s: %s vs %s %s%s, p = %s, %s", experiment.name(), metric.name(),
                lift.group(), lift.control(),
                lift.relative().estimate().isPresent()
                        ? String.format(Locale.ROOT, "%+.2f%%", 100 * lift.relative().estimate().getAsDouble()) : "n/a",
                interval,
                lift.pValue().isPresent() ? String.format(Locale.ROOT, "%.4f", lift.pValue().getAsDouble()) : "n/a",
                lift.significant() ? "significant" : "not significant");
    }
}
