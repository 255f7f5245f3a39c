package dev.pulse.cli;

import dev.pulse.analysis.PowerAnalysis;
import dev.pulse.analysis.PowerRequest;
import dev.pulse.analysis.PowerResult;
import dev.pulse.config.ConfigLimits;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdType;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.warehouse.Warehouses;
import dev.pulse.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * {@code pulse power}: estimates each metric's per-unit variance on a historical window and prints the
 * minimum detectable effect at the planned size and split, or the units and days a target effect needs.
 */
@Command(name = "power", mixinStandardHelpOptions = true,
        description = {"Minimum detectable effect, or units and days needed, from each metric's variance in historical data.",
                "The history is every unit with a row in the metrics' sources in the window; see docs/power.md."})
final class PowerCommand implements Callable<Integer> {

    /** The formats {@code power} can print. */
    enum Format {
        TABLE,
        JSON
    }

    @Mixin
    ConfigOption config;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment to plan: its unit, metrics, groups, dates and alpha.")
    String experiment;

    @Option(names = "--unit", paramLabel = "ID_TYPE",
            description = "Without --experiment: the unit ID type to plan at (then --metric, --from and --to are needed).")
    String unit;

    @Option(names = {"-m", "--metric"}, paramLabel = "NAME",
            description = "A metric to plan for (repeatable; default: every metric of the experiment).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE",
            description = "First day of the historical window (default: as many days as the experiment, ending the day before its start).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day of the historical window, inclusive.")
    LocalDate to;

    @Option(names = "--units", paramLabel = "N",
            description = "Planned units over every group (default: the historical units in the window).")
    Long units;

    @Option(names = "--effect", paramLabel = "THETA",
            description = "A relative effect to detect (0.05 = +5 %%): prints the units and days needed.")
    Double effect;

    @Option(names = "--alpha", paramLabel = "ALPHA", description = "Significance level (default: the experiment's, else 0.05).")
    Double alpha;

    @Option(names = "--power", paramLabel = "POWER", description = "Target power (default: 0.8).")
    Double power;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the result to FILE instead of stdout.")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PulseConfig loaded = config.load();
        PowerRequest request = request(loaded);
        PowerResult result;
        try (Warehouse warehouse = Warehouses.open(loaded.warehouse())) {
            result = PowerAnalysis.analyze(loaded, request, warehouse);
        }
        String text = switch (format) {
            case TABLE -> PowerReport.table(result);
            case JSON -> PowerReport.json(result);
        };
        Output.write(text, out, spec.commandLine().getOut());
        return 0;
    }

    private static void checkDate(String option, LocalDate date) {
        if (date != null && (date.isBefore(ConfigLimits.FIRST_DATE) || date.isAfter(ConfigLimits.LAST_DATE))) {
            throw invalid(option + ": expected a date from " + ConfigLimits.FIRST_DATE + " to " + ConfigLimits.LAST_DATE
                    + ", got " + date);
        }
    }

    private PowerRequest request(PulseConfig loaded) {
        checkDate("--from", from);
        checkDate("--to", to);
        PowerRequest.Choices choices = new PowerRequest.Choices(
                metrics.stream().map(PowerCommand::metricName).toList(),
                Optional.ofNullable(from), Optional.ofNullable(to),
                alpha == null ? OptionalDouble.empty() : OptionalDouble.of(alpha),
                power == null ? OptionalDouble.empty() : OptionalDouble.of(power),
                units == null ? OptionalLong.empty() : OptionalLong.of(units),
                effect == null ? OptionalDouble.empty() : OptionalDouble.of(effect));
        if (experiment != null) {
            if (unit != null) {
                throw invalid("--unit goes without --experiment (an experiment has its own unit)");
            }
            ExperimentName name = ConfigOption.experiments(loaded, List.of(experiment)).get(0);
            return PowerRequest.forExperiment(loaded, name, choices);
        }
        if (unit == null) {
            throw invalid("give --experiment NAME, or --unit ID_TYPE with --metric, --from and --to");
        }
        IdType idType;
        try {
            idType = new IdType(unit);
        } catch (IllegalArgumentException e) {
            throw invalid("--unit: " + e.getMessage());
        }
        return PowerRequest.forMetrics(loaded, idType, choices);
    }

    private static MetricName metricName(String name) {
        try {
            return new MetricName(name);
        } catch (IllegalArgumentException e) {
            throw invalid("--metric: " + e.getMessage());
        }
    }

    private static PulseException invalid(String message) {
        return new PulseException(PulseException.Category.INPUT_INVALID, message);
    }
}
