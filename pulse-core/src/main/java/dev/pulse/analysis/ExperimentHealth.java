package dev.pulse.analysis;

import dev.pulse.model.MetricRole;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Power;
import dev.pulse.stats.SampleRatioMismatch;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An experiment's health, like GrowthBook's health tab and Eppo's diagnostics (docs/report.md#health): the units
 * exposed per day and group with the sample-ratio check as of each day, the units left out for each reason, the
 * pre-experiment bias check, and the progress toward the planned sample size with each primary metric's minimum
 * detectable effect. Pure: computed from the results alone, without a new scan.
 *
 * <p>The days come from the daily results' unit counts: every series comparison of a metric counts the same units
 * (those first exposed by the end of the day, docs/daily-results.md), so the first metric with a series gives the
 * control's cumulative units and each treatment's; a day's new units are the difference from the day before.
 *
 * @param days       per day from start to end, with daily results; empty without (or when no metric has a series)
 * @param exclusions every reason units (or IDs, or rows) were left out, with its count, zero counts included for the
 *                   two reasons every experiment has
 * @param biasCheck  the pre-experiment bias check, when the experiment asks for one
 * @param progress   with {@code planned_units}: the counted units against the plan
 * @param power      per primary metric and treatment: the relative effect detectable with 80 % power now and at the
 *                   planned units
 */
public record ExperimentHealth(List<Day> days, List<Exclusion> exclusions, Optional<BiasCheckResult> biasCheck,
                               Optional<Progress> progress, List<Detectable> power) {

    /** The power the minimum detectable effects are computed for (the convention, as in {@code pulse power}). */
    public static final double POWER = 0.8;

    public ExperimentHealth {
        days = List.copyOf(days);
        exclusions = List.copyOf(exclusions);
        Objects.requireNonNull(biasCheck);
        Objects.requireNonNull(progress);
        power = List.copyOf(power);
    }

    /**
     * One day of the experiment.
     *
     * @param cumulativeUnits per group in report order: units first exposed by the end of the day
     * @param newUnits        per group: units first exposed on the day
     * @param srm             the sample-ratio check of the cumulative units; empty before any unit is exposed
     */
    public record Day(LocalDate date, Map<String, Long> cumulativeUnits, Map<String, Long> newUnits,
                      Optional<ExperimentResult.Srm> srm) {
        public Day {
            Objects.requireNonNull(date);
            cumulativeUnits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cumulativeUnits));
            newUnits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newUnits));
            Objects.requireNonNull(srm);
        }
    }

    /** What was left out and why. */
    public enum Excluded {
        UNITS("units"), IDS("IDs"), ROWS("rows");

        private final String label;

        Excluded(String label) {
            this.label = label;
        }

        /** How the count reads in text: {@code units}, {@code IDs}, {@code rows}. */
        public String label() {
            return label;
        }
    }

    /**
     * One reason for leaving something out.
     *
     * @param key    a stable name for the reason ({@code multiple_groups}, {@code unknown_group},
     *               {@code not_triggered}, {@code window_open:<metric>}, {@code id_conflicting},
     *               {@code id_unmapped_rows}), as the JSON's fields are named
     * @param reason the reason in words
     * @param count  how many were left out
     * @param what   what the count counts
     */
    public record Exclusion(String key, String reason, long count, Excluded what) {
        public Exclusion {
            Objects.requireNonNull(key);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(what);
        }
    }

    /**
     * The counted units against {@code planned_units}.
     *
     * @param fraction counted / planned, not capped (above 1 once the plan is exceeded)
     */
    public record Progress(long units, long planned, double fraction) {}

    /**
     * The relative effect one primary metric's treatment comparison can detect with {@link #POWER} at the
     * experiment's alpha, in the metric's direction ({@link Power#minimumDetectableEffect}): now, from the decision
     * comparison's standard error (σ² = SE²/(1/n_c + 1/n_t), CUPED-adjusted with CUPED), and at the planned units
     * split by the expected shares. Null where undefined (no standard error, a control mean of 0, fewer than one unit
     * in a group).
     */
    public record Detectable(String metric, String group, Double now, Double planned) {
        public Detectable {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
        }
    }

    /** The health of {@code result}; the progress from its {@code planned_units}. */
    public static ExperimentHealth of(ExperimentResult result) {
        return new ExperimentHealth(days(result), exclusions(result), result.biasCheck(), progress(result),
                power(result));
    }

    private static List<Day> days(ExperimentResult result) {
        for (MetricResult metric : result.metrics()) {
            if (metric.timeseries().isEmpty()) {
                continue;
            }
            List<String> names = result.groups().stream().map(ExperimentResult.GroupCount::name).toList();
            double[] shares = result.groups().stream().mapToDouble(ExperimentResult.GroupCount::expectedShare).toArray();
            List<MetricResult.GroupComparison> comparisons = metric.comparisons().stream()
                    .filter(c -> metric.timeseries().containsKey(c.group())).toList();
            if (comparisons.isEmpty()) {
                continue;
            }
            String control = comparisons.get(0).control();
            List<MetricResult.DailyPoint> first = metric.timeseries().get(comparisons.get(0).group());
            List<Day> days = new ArrayList<>();
            Map<String, Long> before = new LinkedHashMap<>();
            for (int i = 0; i < first.size(); i++) {
                Map<String, Long> cumulative = new LinkedHashMap<>();
                for (String name : names) {
                    if (name.equals(control)) {
                        cumulative.put(name, first.get(i).controlUnits());
                    } else {
                        List<MetricResult.DailyPoint> points = metric.timeseries().get(name);
                        cumulative.put(name, points == null ? 0L : points.get(i).treatmentUnits());
                    }
                }
                Map<String, Long> added = new LinkedHashMap<>();
                cumulative.forEach((name, units) -> added.put(name, units - before.getOrDefault(name, 0L)));
                before.clear();
                before.putAll(cumulative);
                long[] observed = cumulative.values().stream().mapToLong(Long::longValue).toArray();
                Optional<ExperimentResult.Srm> srm = Optional.empty();
                if (observed.length >= 2 && java.util.Arrays.stream(observed).sum() > 0) {
                    SampleRatioMismatch.Result test = SampleRatioMismatch.test(observed, shares);
                    srm = Optional.of(new ExperimentResult.Srm(test.chiSquare(), test.degreesOfFreedom(), test.pValue(),
                            test.passed()));
                }
                days.add(new Day(first.get(i).date(), cumulative, added, srm));
            }
            return days;
        }
        return List.of();
    }

    private static List<Exclusion> exclusions(ExperimentResult result) {
        List<Exclusion> exclusions = new ArrayList<>();
        exclusions.add(new Exclusion("multiple_groups", "exposed to more than one group", result.excludedMultipleGroups(),
                Excluded.UNITS));
        exclusions.add(new Exclusion("unknown_group", "exposed to a group the config does not list",
                result.excludedUnknownGroup(), Excluded.UNITS));
        result.excludedNotTriggered().ifPresent(units -> exclusions.add(new Exclusion("not_triggered",
                "never triggered (no qualifying row after exposure)", units, Excluded.UNITS)));
        for (MetricResult metric : result.metrics()) {
            metric.excludedUnitsWindowOpen().ifPresent(units -> exclusions.add(new Exclusion(
                    "window_open:" + metric.metric(), "metric window of " + metric.metric() + " still open at the end",
                    units, Excluded.UNITS)));
        }
        result.idResolution().ifPresent(id -> {
            exclusions.add(new Exclusion("id_conflicting", id.idType() + "s mapped to units in more than one group",
                    id.conflictingIds(), Excluded.IDS));
            exclusions.add(new Exclusion("id_unmapped_rows", "rows with a " + id.idType() + " the mapping "
                    + id.source() + " does not know", id.unmappedRows(), Excluded.ROWS));
        });
        return exclusions;
    }

    private static Optional<Progress> progress(ExperimentResult result) {
        OptionalLong planned = result.plannedUnits();
        if (planned.isEmpty()) {
            return Optional.empty();
        }
        long units = result.groups().stream().mapToLong(ExperimentResult.GroupCount::units).sum();
        return Optional.of(new Progress(units, planned.getAsLong(), (double) units / planned.getAsLong()));
    }

    private static List<Detectable> power(ExperimentResult result) {
        Map<String, Double> shares = new LinkedHashMap<>();
        result.groups().forEach(g -> shares.put(g.name(), g.expectedShare()));
        List<Detectable> detectable = new ArrayList<>();
        for (MetricResult metric : result.metrics()) {
            if (result.role(metric.metric()) != MetricRole.PRIMARY) {
                continue;
            }
            dev.pulse.stats.Direction direction = MetricComparisons.direction(metric.direction());
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                Comparison c = comparison.decision();
                Double now = null;
                Double planned = null;
                Double se = c.absolute().stdError();
                if (se != null && se > 0 && c.controlMean() != null && c.controlMean() != 0.0
                        && c.controlUnits() >= 1 && c.treatmentUnits() >= 1 && Double.isFinite(se)) {
                    double variance = se * se / (1.0 / c.controlUnits() + 1.0 / c.treatmentUnits());
                    now = Power.minimumDetectableEffect(variance, c.controlMean(), c.controlUnits(), c.treatmentUnits(),
                            result.alpha(), POWER, direction).relative();
                    if (result.plannedUnits().isPresent()) {
                        long plannedControl = Math.round(shares.getOrDefault(comparison.control(), 0.0)
                                * result.plannedUnits().getAsLong());
                        long plannedTreatment = Math.round(shares.getOrDefault(comparison.group(), 0.0)
                                * result.plannedUnits().getAsLong());
                        if (plannedControl >= 1 && plannedTreatment >= 1) {
                            planned = Power.minimumDetectableEffect(variance, c.controlMean(), plannedControl,
                                    plannedTreatment, result.alpha(), POWER, direction).relative();
                        }
                    }
                }
                detectable.add(new Detectable(metric.metric(), comparison.group(), now, planned));
            }
        }
        return detectable;
    }
}
