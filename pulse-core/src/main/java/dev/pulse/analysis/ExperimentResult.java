package dev.pulse.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The results of one experiment (docs/cli.md#output-formats).
 *
 * @param srm      the sample-ratio-mismatch check, empty when it is undefined (fewer than two groups)
 * @param warnings experiment-level warnings (e.g. why SRM is missing)
 * @param sql        the statement that produced the moments (for reports and review)
 * @param dimensions the breakdown by dimension values, exploratory (no correction across values);
 *                   empty without dimensions
 * @param idResolution with an ID mapping: the IDs and rows it excluded and the units it gave no ID
 * @param excludedNotTriggered with a trigger: the exposed units left out because they never qualified;
 *                             empty without a trigger
 * @param biasCheck  with {@code bias_check}: the pre-experiment bias check; else empty
 * @param postStratified with {@code post_stratify}: each moment metric's comparison post-stratified on that
 *                       dimension (docs/post-stratification.md); empty without it
 * @param roles      each metric's role (primary, secondary, guardrail) by its name, in the metrics' order
 * @param plannedUnits with {@code planned_units}: the units the experiment plans to count over every group
 *                     (docs/report.md#health); else empty
 */
public record ExperimentResult(
        String experiment,
        String unit,
        String engine,
        LocalDate start,
        Optional<LocalDate> end,
        double alpha,
        List<GroupCount> groups,
        long excludedMultipleGroups,
        long excludedUnknownGroup,
        Optional<Srm> srm,
        List<MetricResult> metrics,
        List<String> warnings,
        String sql,
        List<DimensionResult> dimensions,
        Optional<IdResolution> idResolution,
        OptionalLong excludedNotTriggered,
        List<Interaction> interactions,
        Optional<BiasCheckResult> biasCheck,
        List<PostStratified> postStratified,
        Map<String, dev.pulse.model.MetricRole> roles,
        OptionalLong plannedUnits) {

    /**
     * One treatment's comparison of one metric, post-stratified on a dimension.
     *
     * @param metric    the metric's name
     * @param group     the treatment
     * @param control   the control
     * @param dimension the assignment-source column whose values are the strata
     * @param result    the estimate, with the strata used and merged
     */
    public record PostStratified(String metric, String group, String control, String dimension,
            dev.pulse.stats.PostStratification.Result result) {
        public PostStratified {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(result);
        }
    }

    /** Says what the breakdown by dimension values is worth; printed with it. */
    public static final String DIMENSIONS_WARNING = "dimension results are exploratory: each value's comparisons"
            + " are tested on their own, with no correction across values or dimensions, so some will look"
            + " significant by chance; use them to form hypotheses, not to decide";

    public ExperimentResult {
        Objects.requireNonNull(experiment);
        groups = List.copyOf(groups);
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(idResolution);
        Objects.requireNonNull(excludedNotTriggered);
        interactions = List.copyOf(interactions);
        Objects.requireNonNull(biasCheck);
        postStratified = List.copyOf(postStratified);
        roles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(roles));
        Objects.requireNonNull(plannedUnits);
    }

    /** The role of metric {@code metric}: primary when the experiment gave none. */
    public dev.pulse.model.MetricRole role(String metric) {
        return roles.getOrDefault(metric, dev.pulse.model.MetricRole.PRIMARY);
    }

    /** A builder of results: the optional parts empty or 0 until set (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these results' parts, to change some of them. */
    public Builder toBuilder() {
        return new Builder().experiment(experiment).unit(unit).engine(engine).start(start).end(end).alpha(alpha)
                .groups(groups).excludedMultipleGroups(excludedMultipleGroups).excludedUnknownGroup(excludedUnknownGroup)
                .srm(srm).metrics(metrics).warnings(warnings).sql(sql).dimensions(dimensions).idResolution(idResolution)
                .excludedNotTriggered(excludedNotTriggered).interactions(interactions).biasCheck(biasCheck)
                .postStratified(postStratified).roles(roles).plannedUnits(plannedUnits);
    }

    /** These results with other metric results (e.g. the same metrics with their daily series added). */
    public ExperimentResult withMetrics(List<MetricResult> newMetrics) {
        return toBuilder().metrics(newMetrics).build();
    }

    /**
     * The units with one value of one dimension: their counts per group, SRM check and every metric's
     * comparisons over those units alone.
     *
     * @param value the value at the units' first exposure, {@code (null)}, or the {@code (other)} bucket
     *              of the values outside the top ones
     */
    public record DimensionResult(String dimension, String value, List<GroupCount> groups, Optional<Srm> srm,
                                  List<MetricResult> metrics, List<Heterogeneity> heterogeneity) {
        public DimensionResult {
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(value);
            groups = List.copyOf(groups);
            Objects.requireNonNull(srm);
            metrics = List.copyOf(metrics);
            heterogeneity = List.copyOf(heterogeneity);
        }

        /** A value's results before its heterogeneity tests. */
        public DimensionResult(String dimension, String value, List<GroupCount> groups, Optional<Srm> srm,
                               List<MetricResult> metrics) {
            this(dimension, value, groups, srm, metrics, List.of());
        }

        /** The heterogeneity test of {@code metric}'s {@code group} against the control, if there is one. */
        public Optional<Heterogeneity> heterogeneity(String metric, String group) {
            return heterogeneity.stream().filter(h -> h.metric().equals(metric) && h.group().equals(group)).findFirst();
        }

        DimensionResult withHeterogeneity(List<Heterogeneity> tests) {
            return new DimensionResult(dimension, value, groups, srm, metrics, tests);
        }
    }

    /**
     * Whether one treatment's effect on one metric among a dimension value's units differs from its effect among every
     * other unit of the experiment (docs/dimensions.md#heterogeneous-effects): exploratory, corrected across the
     * dimension's values.
     *
     * @param rest           the treatment's decision comparison (CUPED-adjusted with CUPED) over the other values' units
     * @param test           the value's absolute effect minus the rest's, its interval at the experiment's alpha, the
     *                       uncorrected two-sided p-value
     * @param correction     the correction's config name
     * @param familySize     the tests it corrects over: the dimension's values with a p-value
     * @param adjustedPValue the corrected p-value, or null when {@code test} has none
     * @param flagged        the corrected test rejects at the experiment's alpha
     */
    public record Heterogeneity(String metric, String group, dev.pulse.stats.Comparison rest,
                                dev.pulse.stats.EffectHeterogeneity.Result test, String correction, int familySize,
                                Double adjustedPValue, boolean flagged) {
        public Heterogeneity {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            Objects.requireNonNull(rest);
            Objects.requireNonNull(test);
            Objects.requireNonNull(correction);
        }
    }

    /**
     * This experiment against another on the same units (docs/interactions.md).
     *
     * @param experiment  the other experiment
     * @param units       per group of this experiment (report order), its units per group of the other (the other's
     *                    groups in code point order, then {@code (not in experiment)})
     * @param assignments the χ² test of independence of the groups over the units in both; empty with fewer than two
     *                    groups on a side
     * @param assignmentsDependent the test's p-value is below the SRM threshold (0.001): the assignments are not
     *                    independent, a randomization problem like a sample ratio mismatch
     * @param effects     per moment metric and treatment, its effect within each of the other's groups and their test
     */
    public record Interaction(String experiment, Map<String, Map<String, Long>> units,
                              Optional<dev.pulse.stats.Interactions.ChiSquare> assignments, boolean assignmentsDependent,
                              List<InteractionEffect> effects) {
        public Interaction {
            Objects.requireNonNull(experiment);
            java.util.LinkedHashMap<String, Map<String, Long>> copy = new java.util.LinkedHashMap<>();
            units.forEach((group, row) -> copy.put(group, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row))));
            units = java.util.Collections.unmodifiableMap(copy);
            Objects.requireNonNull(assignments);
            effects = List.copyOf(effects);
        }

        /** Units counted in both experiments. */
        public long unitsInBoth() {
            return units.values().stream().flatMap(row -> row.entrySet().stream())
                    .filter(cell -> !cell.getKey().equals(dev.pulse.plan.InteractionScan.NOT_IN_EXPERIMENT))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * Whether one treatment's effect on one metric is the same within every group of the other experiment.
     *
     * @param byGroup        per group of the other experiment, this treatment's decision comparison over the units in it
     * @param test           Cochran's Q over the groups' absolute effects, or empty when fewer than two have one
     * @param adjustedPValue corrected over the pair's tests (metrics × treatments), or null
     * @param flagged        the corrected test rejects at the experiment's alpha
     */
    public record InteractionEffect(String metric, String group, Map<String, dev.pulse.stats.Comparison> byGroup,
                                    Optional<dev.pulse.stats.Interactions.ChiSquare> test, String correction,
                                    int familySize, Double adjustedPValue, boolean flagged, List<String> warnings) {
        public InteractionEffect {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            byGroup = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byGroup));
            Objects.requireNonNull(test);
            Objects.requireNonNull(correction);
            warnings = List.copyOf(warnings);
        }
    }

    /** A group's counted units and the share the config expects of it. */
    public record GroupCount(String name, long units, double expectedShare) {
    }

    /** Pearson χ² sample-ratio check of the unit counts. */
    public record Srm(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
    }

    /**
     * Collects the parts of results by name. Experiment, unit, engine, start, alpha and sql are set by the
     * caller; the others default to: no end, no groups, no exclusions, no SRM check, no metrics, no warnings,
     * no dimensions, no ID resolution, no bias check, no planned units.
     */
    public static final class Builder {
        private String experiment;
        private String unit;
        private String engine;
        private LocalDate start;
        private Optional<LocalDate> end = Optional.empty();
        private double alpha = Double.NaN;
        private List<GroupCount> groups = List.of();
        private long excludedMultipleGroups;
        private long excludedUnknownGroup;
        private Optional<Srm> srm = Optional.empty();
        private List<MetricResult> metrics = List.of();
        private List<String> warnings = List.of();
        private String sql;
        private List<DimensionResult> dimensions = List.of();
        private Optional<IdResolution> idResolution = Optional.empty();
        private OptionalLong excludedNotTriggered = OptionalLong.empty();
        private List<Interaction> interactions = List.of();
        private Optional<BiasCheckResult> biasCheck = Optional.empty();
        private List<PostStratified> postStratified = List.of();
        private Map<String, dev.pulse.model.MetricRole> roles = Map.of();
        private OptionalLong plannedUnits = OptionalLong.empty();

        private Builder() {}

        public Builder plannedUnits(OptionalLong value) {
            plannedUnits = value;
            return this;
        }

        public Builder roles(Map<String, dev.pulse.model.MetricRole> value) {
            roles = value;
            return this;
        }

        public Builder experiment(String value) {
            experiment = value;
            return this;
        }

        public Builder unit(String value) {
            unit = value;
            return this;
        }

        public Builder engine(String value) {
            engine = value;
            return this;
        }

        public Builder start(LocalDate value) {
            start = value;
            return this;
        }

        public Builder end(Optional<LocalDate> value) {
            end = value;
            return this;
        }

        public Builder alpha(double value) {
            alpha = value;
            return this;
        }

        public Builder groups(List<GroupCount> value) {
            groups = value;
            return this;
        }

        public Builder excludedMultipleGroups(long value) {
            excludedMultipleGroups = value;
            return this;
        }

        public Builder excludedUnknownGroup(long value) {
            excludedUnknownGroup = value;
            return this;
        }

        public Builder srm(Optional<Srm> value) {
            srm = value;
            return this;
        }

        public Builder metrics(List<MetricResult> value) {
            metrics = value;
            return this;
        }

        public Builder warnings(List<String> value) {
            warnings = value;
            return this;
        }

        public Builder sql(String value) {
            sql = value;
            return this;
        }

        public Builder dimensions(List<DimensionResult> value) {
            dimensions = value;
            return this;
        }

        public Builder idResolution(Optional<IdResolution> value) {
            idResolution = value;
            return this;
        }

        public Builder excludedNotTriggered(OptionalLong value) {
            excludedNotTriggered = value;
            return this;
        }

        public Builder interactions(List<Interaction> value) {
            interactions = value;
            return this;
        }

        public Builder biasCheck(Optional<BiasCheckResult> value) {
            biasCheck = value;
            return this;
        }

        public Builder postStratified(List<PostStratified> value) {
            postStratified = value;
            return this;
        }

        public ExperimentResult build() {
            return new ExperimentResult(experiment, unit, engine, start, end, alpha, groups, excludedMultipleGroups,
                    excludedUnknownGroup, srm, metrics, warnings, sql, dimensions, idResolution, excludedNotTriggered,
                    interactions, biasCheck, postStratified, roles, plannedUnits);
        }
    }
}
