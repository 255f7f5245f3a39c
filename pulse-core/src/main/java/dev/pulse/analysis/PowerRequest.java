package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdType;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a power analysis estimates and plans: the unit, the metrics, the historical window whose data
 * gives each metric's per-unit variance, the planned split, and the test's α and power.
 *
 * @param name           the experiment planned (or a name for the plan, for messages)
 * @param unit           the randomization unit's ID type
 * @param metrics        the metrics to plan for, at least one
 * @param control        the control group's name, one of {@code groups}
 * @param groups         the planned groups and their shares (summing to 1), at least two
 * @param from           the first day of the historical window, inclusive (UTC)
 * @param to             the last day of the historical window, inclusive (UTC)
 * @param alpha          the significance level in (0, 1)
 * @param power          the target power in (0, 1)
 * @param plannedUnits   the planned total units over every group; empty: the historical units
 * @param relativeEffect the relative effect to detect (0.05 = +5 %); empty: report the MDE only
 * @param notes          remarks on how the request was filled in (defaults assumed), shown with the result
 */
public record PowerRequest(
        ExperimentName name,
        IdType unit,
        List<MetricName> metrics,
        String control,
        List<Group> groups,
        LocalDate from,
        LocalDate to,
        double alpha,
        double power,
        OptionalLong plannedUnits,
        OptionalDouble relativeEffect,
        List<String> notes) {

    /** The conventional significance level, when no experiment gives one. */
    public static final double DEFAULT_ALPHA = 0.05;

    /** The conventional target power. */
    public static final double DEFAULT_POWER = 0.8;

    public PowerRequest {
        Objects.requireNonNull(name);
        Objects.requireNonNull(unit);
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(control);
        groups = List.copyOf(groups);
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        Objects.requireNonNull(plannedUnits);
        Objects.requireNonNull(relativeEffect);
        notes = List.copyOf(notes);
        if (metrics.isEmpty()) {
            throw invalid("no metric to plan for");
        }
        if (groups.size() < 2) {
            throw invalid("a plan needs a control and at least one treatment group");
        }
        if (groups.stream().noneMatch(group -> group.name().equals(control))) {
            throw invalid("control '" + control + "' is not among the planned groups");
        }
        if (to.isBefore(from)) {
            throw invalid("the historical window starts on " + from + ", after its last day " + to);
        }
        requireOpenUnit("--alpha", alpha);
        requireOpenUnit("--power", power);
        if (plannedUnits.isPresent() && plannedUnits.getAsLong() < 2) {
            throw invalid("--units must be at least 2, got " + plannedUnits.getAsLong());
        }
        if (relativeEffect.isPresent()
                && !(Double.isFinite(relativeEffect.getAsDouble()) && relativeEffect.getAsDouble() != 0.0)) {
            throw invalid("--effect must be a finite, non-zero relative effect such as 0.05 (+5 %), got "
                    + relativeEffect.getAsDouble());
        }
    }

    /**
     * The choices a user makes on the command line; every empty one takes its default.
     *
     * @param metrics only these metrics of the experiment; empty: all of them
     * @param from    the historical window's first day
     * @param to      the historical window's last day
     * @param alpha   default: the experiment's alpha
     * @param power   default {@link #DEFAULT_POWER}
     */
    public record Choices(
            List<MetricName> metrics,
            Optional<LocalDate> from,
            Optional<LocalDate> to,
            OptionalDouble alpha,
            OptionalDouble power,
            OptionalLong plannedUnits,
            OptionalDouble relativeEffect) {

        public Choices {
            metrics = List.copyOf(metrics);
            Objects.requireNonNull(from);
            Objects.requireNonNull(to);
            Objects.requireNonNull(alpha);
            Objects.requireNonNull(power);
            Objects.requireNonNull(plannedUnits);
            Objects.requireNonNull(relativeEffect);
        }

        /** Every choice left to its default. */
        public static Choices defaults() {
            return new Choices(List.of(), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalLong.empty(), OptionalDouble.empty());
        }
    }

    /**
     * The request for experiment {@code name} of {@code config}: its unit, metrics, control, listed
     * groups and alpha. The default historical window has as many days as the experiment and ends the
     * day before its start; an experiment without an end needs both {@code from} and {@code to}. An
     * experiment whose groups are not listed is planned as two equal groups (noted in the result).
     *
     * @throws PulseException INPUT_INVALID for an unknown experiment or metric, or a window that cannot be
     *                        worked out
     */
    public static PowerRequest forExperiment(PulseConfig config, ExperimentName name, Choices choices) {
        Experiment experiment = config.experiments().get(name);
        if (experiment == null) {
            throw invalid("no experiment named '" + name + "' in " + config.file().getFileName());
        }
        List<String> notes = new ArrayList<>();
        List<Group> groups = experiment.groups();
        if (!experiment.groupsListed()) {
            groups = List.of(new Group(experiment.control(), 0.5), new Group("treatment", 0.5));
            notes.add("the experiment lists no groups: planned as control and one treatment, split equally");
        }
        List<MetricName> metrics = choices.metrics().isEmpty() ? experiment.metrics() : choices.metrics();
        for (MetricName metric : metrics) {
            if (!experiment.metrics().contains(metric)) {
                throw invalid("--metric " + metric + ": not a metric of experiment '" + name + "' (its metrics: "
                        + String.join(", ", experiment.metrics().stream().map(MetricName::value).toList()) + ")");
            }
        }
        OptionalLong length = experiment.end()
                .map(end -> OptionalLong.of(ChronoUnit.DAYS.between(experiment.start(), end) + 1))
                .orElse(OptionalLong.empty());
        LocalDate to;
        LocalDate from;
        if (choices.from().isPresent() && choices.to().isPresent()) {
            from = choices.from().get();
            to = choices.to().get();
        } else {
            if (length.isEmpty()) {
                throw invalid("experiment '" + name + "' has no end date, so the historical window cannot "
                        + "match its length: give both --from and --to");
            }
            long days = length.getAsLong();
            if (choices.from().isPresent()) {
                from = choices.from().get();
                to = from.plusDays(days - 1);
            } else {
                to = choices.to().orElse(experiment.start().minusDays(1));
                from = to.minusDays(days - 1);
            }
        }
        return new PowerRequest(name, experiment.unit(), metrics, experiment.control(), groups, from, to,
                choices.alpha().orElse(experiment.alpha()), choices.power().orElse(DEFAULT_POWER),
                choices.plannedUnits(), choices.relativeEffect(), notes);
    }

    /**
     * A request without an experiment: {@code choices.metrics()} (at least one) at unit {@code unit},
     * on the window {@code choices.from()}–{@code choices.to()} (both required), planned as control and
     * one treatment split equally, α 0.05 unless chosen.
     *
     * @throws PulseException INPUT_INVALID for an unknown metric, no metric, or a missing window end
     */
    public static PowerRequest forMetrics(PulseConfig config, IdType unit, Choices choices) {
        if (choices.metrics().isEmpty()) {
            throw invalid("without --experiment, name the metrics with --metric (and the unit with --unit)");
        }
        for (MetricName metric : choices.metrics()) {
            if (!config.metrics().containsKey(metric)) {
                throw invalid("--metric " + metric + ": no such metric in " + config.file().getFileName()
                        + " (metrics: " + String.join(", ",
                        config.metrics().keySet().stream().map(MetricName::value).toList()) + ")");
            }
        }
        if (choices.from().isEmpty() || choices.to().isEmpty()) {
            throw invalid("without --experiment, give the historical window with both --from and --to");
        }
        return new PowerRequest(new ExperimentName("power"), unit, choices.metrics(), "control",
                List.of(new Group("control", 0.5), new Group("treatment", 0.5)),
                choices.from().get(), choices.to().get(), choices.alpha().orElse(DEFAULT_ALPHA),
                choices.power().orElse(DEFAULT_POWER), choices.plannedUnits(), choices.relativeEffect(),
                List.of("no experiment: planned as control and one treatment, split equally"));
    }

    /** The number of days in the historical window, both ends included. */
    public long windowDays() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The planned share of {@code group}. */
    public double share(String group) {
        return groups.stream().filter(g -> g.name().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no planned group '" + group + "'"))
                .expectedShare();
    }

    private static void requireOpenUnit(String option, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw invalid(option + " must be between 0 and 1 (exclusive), got " + value);
        }
    }

    private static PulseException invalid(String message) {
        return new PulseException(PulseException.Category.INPUT_INVALID, message);
    }
}
