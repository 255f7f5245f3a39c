package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the warehouse returned for one metric of an experiment, in the form its family reads back
 * (docs/architecture.md#metric-families): the moments of a moment metric's per-unit (X, Y), or a
 * percentile metric's quantiles, or a funnel's conversions. Each form compares its groups, compares them again at another level
 * (for a correction's widened interval), and gives its part for one dimension value; the analysis
 * treats every metric alike through these three.
 */
sealed interface MetricEvidence permits MetricEvidence.Moments, MetricEvidence.Quantiles, MetricEvidence.Funnel {

    /** Every treatment against the control with the experiment's settings. */
    MetricResult compare(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric, List<String> groups);

    /** The decision comparison of {@code treatment} at level {@code alpha}; CUPED-adjusted when {@code cuped}. */
    Comparison at(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric, String treatment,
                  boolean cuped, double alpha);

    /**
     * This metric's evidence among the units of one dimension value.
     *
     * @throws PulseException INPUT_INVALID when the metric's own statements found no such value though the
     *                        experiment's statement did (the data changed between them)
     */
    MetricEvidence slice(ExperimentName experiment, MetricName metric, DimensionData slice);

    /**
     * A moment metric: per group the moments of (X, Y), with CUPED their covariances with the pre-period,
     * and for a windowed metric the units left out because their window was still open.
     */
    record Moments(Map<String, GroupMoments> moments, Map<String, CovariateMoments> covariates,
                   OptionalLong excludedWindowOpen, Optional<CovariateSet> covariateSet) implements MetricEvidence {
        public Moments {
            // group order is report order: keep it
            moments = Collections.unmodifiableMap(new LinkedHashMap<>(moments));
            covariates = Collections.unmodifiableMap(new LinkedHashMap<>(covariates));
            Objects.requireNonNull(excludedWindowOpen);
            Objects.requireNonNull(covariateSet);
        }

        /** Moments adjusted, under CUPED, by the pre-period alone. */
        public Moments(Map<String, GroupMoments> moments, Map<String, CovariateMoments> covariates,
                       OptionalLong excludedWindowOpen) {
            this(moments, covariates, excludedWindowOpen, Optional.empty());
        }

        /** The metric's part of the experiment's statement. */
        static Moments of(ExperimentData data, MetricName metric) {
            return new Moments(data.moments().getOrDefault(metric, Map.of()),
                    data.covariates().getOrDefault(metric, Map.of()), optional(data.excludedWindowOpen().get(metric)),
                    Optional.ofNullable(data.covariateSets().get(metric)));
        }

        public MetricResult compare(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric,
                                    List<String> groups) {
            MetricResult result = MetricComparisons.compare(settings, metric, groups, moments, covariates, covariateSet);
            if (excludedWindowOpen.isPresent()) {
                result = result.withExcludedUnitsWindowOpen(excludedWindowOpen.getAsLong());
            }
            if (metric.countsUnitsWithValue()) {
                // Y is 0 or 1 per unit, so n·ȳ is the count of units with a value (rounded off float error)
                Map<String, Long> units = new LinkedHashMap<>();
                for (String group : groups) {
                    GroupMoments found = moments.get(group);
                    units.put(group, found == null ? 0L : Math.round(found.n() * found.meanY()));
                }
                result = result.withUnitsWithValue(units);
            }
            return result;
        }

        public Comparison at(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric, String treatment,
                             boolean cuped, double alpha) {
            return MetricComparisons.recompute(settings, metric, moments, covariates, covariateSet, treatment, cuped,
                    alpha);
        }

        public Moments slice(ExperimentName experiment, MetricName metric, DimensionData slice) {
            return new Moments(slice.moments().getOrDefault(metric, Map.of()),
                    slice.covariates().getOrDefault(metric, Map.of()), optional(slice.excludedWindowOpen().get(metric)));
        }

        private static OptionalLong optional(Long value) {
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    /** A percentile metric: its groups' quantiles and intervals from its own statements ({@link PercentileFetcher}). */
    record Quantiles(PercentileData data) implements MetricEvidence {
        public Quantiles {
            Objects.requireNonNull(data);
        }

        public MetricResult compare(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric,
                                    List<String> groups) {
            return MetricComparisons.comparePercentile(settings, metric, data);
        }

        public Comparison at(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric, String treatment,
                             boolean cuped, double alpha) {
            return MetricComparisons.quantileComparison(metric, data, treatment, alpha);
        }

        public Quantiles slice(ExperimentName experiment, MetricName metric, DimensionData slice) {
            return new Quantiles(data.dimension(slice.dimension(), slice.value()).orElseThrow(() -> new PulseException(
                    PulseException.Category.INPUT_INVALID, String.format("experiment '%s', percentile metric '%s': no"
                            + " results for %s '%s', which the experiment's statement found; did the data change"
                            + " between the statements?", experiment, metric, slice.dimension(), slice.value()))));
        }
    }

    /**
     * A funnel metric: its overall conversion is compared as a moment metric (corrections, sequential test,
     * Bayesian summary and direction apply), and each step's conversion comes with it as plain comparisons
     * ({@link MetricResult#steps}).
     */
    record Funnel(FunnelData data) implements MetricEvidence {
        public Funnel {
            Objects.requireNonNull(data);
        }

        public MetricResult compare(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric,
                                    List<String> groups) {
            MetricResult result = MetricComparisons.compare(settings, metric, groups, data.conversions().overall(),
                    Map.of());
            MetricComparisons.Settings plain = settings.plain();
            MetricComparisons.MetricSpec step = new MetricComparisons.MetricSpec(metric.name(), metric.type(),
                    metric.direction(), true, false);
            List<MetricResult.Step> steps = new java.util.ArrayList<>();
            data.conversions().steps().forEach((name, moments) -> steps.add(new MetricResult.Step(name,
                    MetricComparisons.compare(plain, step, groups, moments, Map.of()).comparisons())));
            return result.withSteps(steps);
        }

        public Comparison at(MetricComparisons.Settings settings, MetricComparisons.MetricSpec metric, String treatment,
                             boolean cuped, double alpha) {
            return MetricComparisons.recompute(settings, metric, data.conversions().overall(), Map.of(),
                    Optional.empty(), treatment, false, alpha);
        }

        public Funnel slice(ExperimentName experiment, MetricName metric, DimensionData slice) {
            return new Funnel(data.dimension(slice.dimension(), slice.value()).orElseThrow(() -> new PulseException(
                    PulseException.Category.INPUT_INVALID, String.format("experiment '%s', funnel metric '%s': no"
                            + " results for %s '%s', which the experiment's statement found; did the data change"
                            + " between the statements?", experiment, metric, slice.dimension(), slice.value()))));
        }
    }
}
