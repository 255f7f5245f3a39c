package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.SampleRatioMismatch;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs an experiment's statement in the warehouse and turns the moments it returns into results:
 * every treatment against the control for every metric, and the SRM check.
 */
public final class Analyzer {
    private Analyzer() {}

    /**
     * Analyses one experiment of {@code config} in {@code warehouse}.
     *
     * @throws PulseException INPUT_INVALID when the experiment has no units in any group it reports (its
     *                        name is not in the assignment source, no exposure falls in its dates, its
     *                        listed groups match none in the data): the message says which, and why
     */
    public static ExperimentResult analyze(PulseConfig config, ExperimentName name, Warehouse warehouse) {
        return analyze(config, name, warehouse, MomentsFetcher.fetch(config, name, warehouse));
    }

    /**
     * As {@link #analyze(PulseConfig, ExperimentName, Warehouse)}, for the experiment's statement's {@code data}
     * already fetched (from an incremental refresh's state); the metrics with statements of their own run them on
     * {@code warehouse}.
     */
    static ExperimentResult analyze(PulseConfig config, ExperimentName name, Warehouse warehouse, ExperimentData data) {
        if (EmptyExperiment.isEmpty(data)) {
            throw EmptyExperiment.explain(config, config.experiment(name), data, warehouse);
        }
        Map<MetricName, MetricEvidence> evidence = new java.util.LinkedHashMap<>();
        for (MetricName metric : config.experiment(name).metrics()) {
            evidence.put(metric, MetricFamilies.evidence(config, name, config.metric(metric), data, warehouse));
        }
        ExperimentResult result = results(config, name, data, evidence);
        if (config.experiment(name).timeseries()) {
            result = withTimeseries(config, name, result, data.timeseries());
            result = withDaysSinceExposure(config, name, result, data.daysSinceExposure());
        }
        return result;
    }

    /**
     * {@code result} with daily results: per series metric and treatment, the plain comparison as of
     * each day (the experiment's relative-interval method and the metric's direction; no CUPED, no
     * correction). Days without units in a group have 0 units there and null statistics.
     */
    public static ExperimentResult withTimeseries(PulseConfig config, ExperimentName name, ExperimentResult result,
                                                  List<DailyMoments> days) {
        return withSeries(config, name, result, days, DailyMoments::units, DailyMoments::moments,
                (day, control, treatment, statistics) -> new MetricResult.DailyPoint(day.date(), control, treatment, statistics),
                MetricResult::withTimeseries);
    }

    /**
     * {@code result} with the days-since-exposure series: per series metric and treatment, the plain comparison of
     * the units' values through their day k, for each k (as {@link #withTimeseries}: no CUPED, no correction).
     */
    public static ExperimentResult withDaysSinceExposure(PulseConfig config, ExperimentName name, ExperimentResult result,
                                                         List<ExposureDayMoments> points) {
        return withSeries(config, name, result, points, ExposureDayMoments::units, ExposureDayMoments::moments,
                (point, control, treatment, statistics) -> new MetricResult.ExposureDayPoint(point.daysSinceExposure(),
                        control, treatment, statistics),
                MetricResult::withDaysSinceExposure);
    }

    /** A series point from its key's moments: the control's and the treatment's units, the comparison. */
    private interface SeriesPoint<K, P> {
        P of(K key, long controlUnits, long treatmentUnits, Comparison statistics);
    }

    /**
     * {@code result} with a series of plain comparisons (the experiment's relative-interval method and the metric's
     * direction; no CUPED, no correction), one point per key, for each metric whose moments the keys carry. A key
     * without units in a group has 0 units there and null statistics.
     */
    private static <K, P> ExperimentResult withSeries(PulseConfig config, ExperimentName name, ExperimentResult result,
                                                      List<K> keys, Function<K, Map<String, Long>> units,
                                                      Function<K, Map<MetricName, Map<String, GroupMoments>>> moments,
                                                      SeriesPoint<K, P> point,
                                                      BiFunction<MetricResult, Map<String, List<P>>, MetricResult> with) {
        Experiment experiment = config.experiment(name);
        MetricComparisons.Settings plain = MetricComparisons.Settings.of(experiment).plain();
        List<String> groupNames = result.groups().stream().map(ExperimentResult.GroupCount::name).toList();
        List<MetricResult> metrics = new ArrayList<>();
        for (MetricResult metric : result.metrics()) {
            MetricName metricName = new MetricName(metric.metric());
            if (keys.isEmpty() || !moments.apply(keys.get(0)).containsKey(metricName)) {
                metrics.add(metric);
                continue;
            }
            MetricComparisons.MetricSpec spec = MetricComparisons.MetricSpec.of(config.metric(metricName));
            Map<String, List<P>> series = new java.util.LinkedHashMap<>();
            for (K key : keys) {
                MetricResult compared = MetricComparisons.compare(plain, spec, groupNames,
                        moments.apply(key).get(metricName), Map.of());
                Map<String, Long> counted = units.apply(key);
                for (MetricResult.GroupComparison comparison : compared.comparisons()) {
                    series.computeIfAbsent(comparison.group(), group -> new ArrayList<>()).add(point.of(key,
                            counted.getOrDefault(experiment.control(), 0L), counted.getOrDefault(comparison.group(), 0L),
                            comparison.statistics()));
                }
            }
            metrics.add(with.apply(metric, series));
        }
        return result.withMetrics(metrics);
    }

    /**
     * The results for moments already fetched: pure, no warehouse.
     *
     * @throws IllegalArgumentException when a metric of the experiment is not a moment metric: its
     *                                  evidence comes from its own statements
     */
    public static ExperimentResult results(PulseConfig config, ExperimentName name, ExperimentData data) {
        Map<MetricName, MetricEvidence> evidence = new java.util.LinkedHashMap<>();
        for (MetricName metric : config.experiment(name).metrics()) {
            if (config.metric(metric).family() != dev.pulse.model.MetricFamily.MOMENTS) {
                throw new IllegalArgumentException("metric '" + metric + "' needs its own statements");
            }
            evidence.put(metric, MetricEvidence.Moments.of(data, metric));
        }
        return results(config, name, data, evidence);
    }

    /** The results for the experiment's statement's data and every metric's evidence: pure, no warehouse. */
    static ExperimentResult results(PulseConfig config, ExperimentName name, ExperimentData data,
            Map<MetricName, MetricEvidence> evidence) {
        Experiment experiment = config.experiment(name);
        List<Group> groups = groups(experiment, data);
        List<String> warnings = new ArrayList<>();

        List<ExperimentResult.GroupCount> counts = new ArrayList<>();
        for (Group group : groups) {
            counts.add(new ExperimentResult.GroupCount(
                    group.name(), data.units().getOrDefault(group.name(), 0L), group.expectedShare()));
        }

        java.util.Optional<ExperimentResult.Srm> srm = srm(counts);
        long total = counts.stream().mapToLong(ExperimentResult.GroupCount::units).sum();
        if (total == 0) {
            warnings.add("no units in any group: no comparison and no SRM check");
        } else if (srm.isEmpty()) {
            warnings.add("fewer than two groups in the data: no comparison and no SRM check");
        }
        if (total > 0 && counts.size() > 1) {
            for (ExperimentResult.GroupCount count : counts) {
                if (count.units() == 0) {
                    warnings.add(String.format(Locale.ROOT, "group '%s' has no units though %.2f%% are expected in it:"
                            + " a sample ratio mismatch (is the group name right, and did its variant ship?)",
                            count.name(), 100 * count.expectedShare()));
                }
            }
        }

        MetricComparisons.Settings settings = MetricComparisons.Settings.of(experiment);
        List<String> groupNames = groups.stream().map(Group::name).toList();
        List<MetricComparisons.MetricSpec> metrics = new ArrayList<>();
        List<MetricEvidence> evidences = new ArrayList<>();
        List<MetricResult> results = new ArrayList<>();
        for (MetricName metricName : experiment.metrics()) {
            MetricComparisons.MetricSpec metric = MetricComparisons.MetricSpec.of(config.metric(metricName));
            MetricEvidence found = evidence.get(metricName);
            metrics.add(metric);
            evidences.add(found);
            results.add(found.compare(settings, metric, groupNames));
        }
        results = Corrections.apply(settings, metrics, results, evidences);
        java.util.Optional<BiasCheckResult> biasCheck = biasCheck(experiment, groupNames, metrics, data, results);

        List<DimensionData> byColumn = data.dimensions().stream()
                .filter(slice -> !ExperimentInteractions.isInteraction(experiment, slice)).toList();
        List<ExperimentResult.DimensionResult> dimensions = dimensions(config, experiment, groups, settings, byColumn,
                evidence);
        if (!dimensions.isEmpty()) {
            warnings.add(ExperimentResult.DIMENSIONS_WARNING);
            warnings.addAll(flaggedHeterogeneity(dimensions));
        }
        List<ExperimentResult.Interaction> interactions = ExperimentInteractions.analyze(config, experiment, settings,
                groupNames, data.dimensions().stream().filter(slice -> ExperimentInteractions.isInteraction(experiment, slice))
                        .toList(), evidence);
        warnings.addAll(interactionWarnings(experiment, interactions));
        return ExperimentResult.builder()
                .experiment(experiment.name().value())
                .unit(experiment.unit().value())
                .engine(config.warehouse().engine().name().toLowerCase(Locale.ROOT))
                .start(experiment.start())
                .end(experiment.end())
                .alpha(experiment.alpha())
                .groups(counts)
                .excludedMultipleGroups(data.excludedMultipleGroups())
                .excludedUnknownGroup(data.excludedUnknownGroup())
                .srm(srm)
                .metrics(results)
                .warnings(warnings)
                .sql(data.sql())
                .dimensions(dimensions)
                .interactions(interactions)
                .postStratified(PostStratifiedComparisons.of(config, experiment, groupNames, data))
                .roles(roles(experiment))
                .plannedUnits(experiment.plannedUnits())
                .idResolution(data.idResolution())
                .excludedNotTriggered(experiment.trigger().isPresent()
                        ? java.util.OptionalLong.of(data.excludedNotTriggered())
                        : java.util.OptionalLong.empty())
                .biasCheck(biasCheck)
                .build();
    }

    /** A warning per dependent assignment, pair without common units, and interaction effect that survived its correction. */
    private static List<String> interactionWarnings(Experiment experiment, List<ExperimentResult.Interaction> interactions) {
        List<String> warnings = new ArrayList<>();
        for (ExperimentResult.Interaction interaction : interactions) {
            if (interaction.unitsInBoth() == 0) {
                warnings.add(String.format(Locale.ROOT, "no unit of experiment '%s' is a counted unit of experiment"
                        + " '%s': no interaction to test", experiment.name(), interaction.experiment()));
            }
            if (interaction.assignmentsDependent()) {
                warnings.add(String.format(Locale.ROOT, "the assignments of experiments '%s' and '%s' are not"
                        + " independent (chi-square p = %.3g over the %d units in both): check how units are"
                        + " randomized into the two, as for a sample ratio mismatch", experiment.name(),
                        interaction.experiment(), interaction.assignments().orElseThrow().pValue(), interaction.unitsInBoth()));
            }
            for (ExperimentResult.InteractionEffect effect : interaction.effects()) {
                if (effect.flagged()) {
                    warnings.add(String.format(Locale.ROOT, "interaction with experiment '%s': the effect of %s on %s"
                            + " differs across its groups (%s-corrected p %s)", interaction.experiment(), effect.group(),
                            effect.metric(), effect.correction(), effect.adjustedPValue() < 1e-4 ? "< 0.0001"
                                    : String.format(Locale.ROOT, "= %.4f", effect.adjustedPValue())));
                }
            }
        }
        return warnings;
    }

    /** A warning per heterogeneity test that survived its correction: exploratory, but worth a look. */
    private static List<String> flaggedHeterogeneity(List<ExperimentResult.DimensionResult> dimensions) {
        List<String> warnings = new ArrayList<>();
        for (ExperimentResult.DimensionResult value : dimensions) {
            for (ExperimentResult.Heterogeneity test : value.heterogeneity()) {
                if (test.flagged()) {
                    double p = test.adjustedPValue();
                    warnings.add(String.format(Locale.ROOT, "heterogeneous effect (exploratory): %s / %s differs where"
                            + " %s = %s from the rest of the experiment, by %+.4g (%s-corrected p %s across the %d values)",
                            test.metric(), test.group(), value.dimension(), value.value(),
                            test.test().difference().estimate(), test.correction(),
                            p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "= %.4f", p), test.familySize()));
                }
            }
        }
        return warnings;
    }

    /**
     * With {@code bias_check}: every metric's pre-period value compared between each treatment and the control,
     * from the pre-period moments the experiment's statement returned in the same pass (CUPED's, or the bias
     * check's own pre-period without CUPED). CUPED corrects a comparison when it adjusted it with θ ≠ 0.
     */
    private static java.util.Optional<BiasCheckResult> biasCheck(Experiment experiment, List<String> groupNames,
            List<MetricComparisons.MetricSpec> metrics, ExperimentData data, List<MetricResult> results) {
        return experiment.options().biasCheck().map(check -> BiasCheckResult.of(check, experiment.control(), groupNames,
                metrics, data.covariates(), (metric, group) -> results.stream()
                        .filter(result -> result.metric().equals(metric))
                        .flatMap(result -> result.comparisons().stream())
                        .filter(comparison -> comparison.group().equals(group))
                        .anyMatch(comparison -> comparison.cuped().map(cuped -> cuped.theta() != 0.0).orElse(false))));
    }

    /**
     * Pearson χ² of the unit counts against the expected shares; empty for fewer than two groups or no
     * units at all (no evidence either way: never "passed"). A group with no units fails the check
     * ({@link SampleRatioMismatch#test}).
     */
    private static java.util.Optional<ExperimentResult.Srm> srm(List<ExperimentResult.GroupCount> counts) {
        if (counts.size() < 2 || counts.stream().allMatch(count -> count.units() == 0)) {
            return java.util.Optional.empty();
        }
        long[] observed = counts.stream().mapToLong(ExperimentResult.GroupCount::units).toArray();
        double[] shares = counts.stream().mapToDouble(ExperimentResult.GroupCount::expectedShare).toArray();
        SampleRatioMismatch.Result test = SampleRatioMismatch.test(observed, shares);
        return java.util.Optional.of(new ExperimentResult.Srm(
                test.chiSquare(), test.degreesOfFreedom(), test.pValue(), test.passed()));
    }

    /**
     * Per dimension value: the experiment's groups' units, their SRM check and every metric's
     * comparisons with the experiment's settings, without a correction across values (and without
     * daily results); a windowed metric's units left out for an open window among that value's units; a
     * percentile metric's from its own statements' results for that value.
     *
     * @throws PulseException INPUT_INVALID when a percentile metric's statements returned no results for
     *                        a value the experiment's statement found (the data changed between them)
     */
    private static List<ExperimentResult.DimensionResult> dimensions(PulseConfig config, Experiment experiment,
            List<Group> groups, MetricComparisons.Settings settings, List<DimensionData> data,
            Map<MetricName, MetricEvidence> evidence) {
        List<String> groupNames = groups.stream().map(Group::name).toList();
        List<ExperimentResult.DimensionResult> results = new ArrayList<>();
        for (DimensionData slice : data) {
            List<ExperimentResult.GroupCount> counts = groups.stream().map(group -> new ExperimentResult.GroupCount(
                    group.name(), slice.units().getOrDefault(group.name(), 0L), group.expectedShare())).toList();
            List<MetricResult> metrics = new ArrayList<>();
            for (MetricName metricName : experiment.metrics()) {
                metrics.add(evidence.get(metricName).slice(experiment.name(), metricName, slice)
                        .compare(settings, MetricComparisons.MetricSpec.of(config.metric(metricName)), groupNames));
            }
            results.add(new ExperimentResult.DimensionResult(slice.dimension(), slice.value(), counts, srm(counts),
                    metrics));
        }
        return Heterogeneity.apply(config, experiment, settings, groupNames, data, results, evidence);
    }

    /**
     * The groups to report: the listed ones in config order, or, when the config lists none, those
     * found in the data with the control first and an equal expected split.
     */
    private static List<Group> groups(Experiment experiment, ExperimentData data) {
        if (experiment.groupsListed()) {
            return experiment.groups();
        }
        if (!data.units().containsKey(experiment.control())) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                    "experiment '%s': control group '%s' has no units in the data (groups found: %s)%s",
                    experiment.name(), experiment.control(),
                    data.units().isEmpty() ? "none" : String.join(", ", data.units().keySet()),
                    dev.pulse.config.Suggestions.hint(experiment.control(), data.units().keySet())));
        }
        List<String> names = new ArrayList<>();
        names.add(experiment.control());
        data.units().keySet().stream().filter(n -> !n.equals(experiment.control())).sorted().forEach(names::add);
        double share = 1.0 / names.size();
        return names.stream().map(n -> new Group(n, share)).toList();
    }

    /** Each metric's role by its name, in the experiment's metric order (docs/report.md#decision-summary). */
    static Map<String, dev.pulse.model.MetricRole> roles(Experiment experiment) {
        Map<String, dev.pulse.model.MetricRole> roles = new java.util.LinkedHashMap<>();
        experiment.metrics().forEach(metric -> roles.put(metric.value(), experiment.role(metric)));
        return roles;
    }
}
