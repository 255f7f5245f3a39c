package dev.pulse.analysis;

import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.Metric;
import dev.pulse.model.Prior;
import dev.pulse.model.RelativeInterval;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.AsymptoticConfidenceSequence;
import dev.pulse.stats.BayesianSummary;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.DeltaMethodComparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.GroupSequential;
import dev.pulse.stats.Interval;
import dev.pulse.stats.Percentiles;
import dev.pulse.stats.MultiCovariateAdjustment;
import dev.pulse.stats.RegressionAdjustment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every treatment against the control for one metric, with the options of the experiment and the
 * metric: direction, relative interval, CUPED, sequential test, Bayesian summary. Pure: moments in,
 * results out. The multiple-comparison correction spans metrics, so {@link Corrections} applies it.
 */
final class MetricComparisons {
    private MetricComparisons() {}

    /** What an analysis needs of an experiment, or of a {@code pulse stats} input. */
    record Settings(String control, double alpha, AnalysisOptions options, Optional<Looks> looks) {
        Settings(String control, double alpha, AnalysisOptions options) {
            this(control, alpha, options, Optional.empty());
        }

        /** These settings with a group-sequential test at {@code position}. */
        Settings(String control, double alpha, AnalysisOptions options, LookPosition position) {
            this(control, alpha, options, Optional.of(Looks.of(position, alpha)));
        }

        static Settings of(Experiment experiment) {
            // the config requires an end with planned looks
            return experiment.options().plannedLooks()
                    .map(plan -> new Settings(experiment.control(), experiment.alpha(), experiment.options(),
                            LookPosition.of(plan, experiment.start(), experiment.end().orElseThrow())))
                    .orElseGet(() -> new Settings(experiment.control(), experiment.alpha(), experiment.options()));
        }

        /**
         * These settings for a plain comparison (daily points, funnel steps): the same relative-interval
         * method and correction, no CUPED, sequential test or Bayesian summary.
         */
        Settings plain() {
            return new Settings(control, alpha, AnalysisOptions.DEFAULT.withCorrection(options.correction())
                    .withRelativeInterval(options.relativeInterval()));
        }
    }

    /**
     * Planned looks with their boundaries, computed once per analysis: two-sided, and one-sided (the same
     * boundaries serve {@code increase} and {@code decrease}), whatever the number of metrics and
     * dimension values.
     */
    record Looks(LookPosition position, GroupSequential.Design twoSided, GroupSequential.Design oneSided) {
        static Looks of(LookPosition position, double alpha) {
            return new Looks(position,
                    GroupSequential.design(position.fractionArray(), position.statisticsSpending(), alpha,
                            dev.pulse.stats.Direction.TWO_SIDED),
                    GroupSequential.design(position.fractionArray(), position.statisticsSpending(), alpha,
                            dev.pulse.stats.Direction.INCREASE));
        }

        GroupSequential.Design design(Direction direction) {
            return switch (direction) {
                case TWO_SIDED -> twoSided;
                case INCREASE -> oneSided;
                case DECREASE -> new GroupSequential.Design(oneSided.alpha(), dev.pulse.stats.Direction.DECREASE,
                        oneSided.spending(), oneSided.looks());
            };
        }
    }

    /**
     * What an analysis needs of a metric.
     *
     * @param countsUnitsWithValue whether its results count each group's units with a value, ΣY
     *                             ({@link dev.pulse.model.MetricType#unitsMayLackValue})
     */
    record MetricSpec(String name, String type, Direction direction, boolean hasDenominator,
                      boolean countsUnitsWithValue) {
        static MetricSpec of(Metric metric) {
            return new MetricSpec(metric.name().value(), metric.type().configName(), metric.options().direction(),
                    metric.denominator().isPresent(), metric.type().unitsMayLackValue());
        }
    }

    static MetricResult compare(Settings experiment, MetricSpec metric, List<String> groups,
            Map<String, GroupMoments> moments, Map<String, CovariateMoments> covariates) {
        return compare(experiment, metric, groups, moments, covariates, Optional.empty());
    }

    /** As above; with {@code set}, adjusted by its several covariates instead of the pre-period alone. */
    static MetricResult compare(Settings experiment, MetricSpec metric, List<String> groups,
            Map<String, GroupMoments> moments, Map<String, CovariateMoments> covariates, Optional<CovariateSet> set) {
        AnalysisOptions options = experiment.options();
        double alpha = experiment.alpha();
        GroupMoments control = momentsOf(metric, moments, experiment.control());
        Optional<Adjustment> cuped = cuped(experiment, metric, covariates, set, alpha);
        Optional<GroupSequential.Design> design = design(experiment, metric);

        List<MetricResult.GroupComparison> comparisons = new ArrayList<>();
        for (String group : groups) {
            if (group.equals(experiment.control())) {
                continue;
            }
            Comparison plain = DeltaMethodComparison.compare(control, momentsOf(metric, moments, group),
                    comparisonOptions(experiment, metric, alpha));
            Optional<MetricResult.CupedResult> adjusted = cuped.flatMap(result -> result.comparisons().stream()
                    .filter(c -> c.treatment().equals(group))
                    .findFirst()
                    .map(c -> new MetricResult.CupedResult(options.cuped().orElseThrow().lookbackDays(),
                            result.theta(), c.varianceReduction(), c.adjusted(), result.warnings(),
                            result.coefficients())));
            Comparison decision = adjusted.map(MetricResult.CupedResult::adjusted).orElse(plain);
            Optional<MetricResult.SequentialResult> sequential = sequential(options, decision, alpha);
            Optional<MetricResult.BayesianResult> bayesian = bayesian(options, decision, alpha);
            comparisons.add(new MetricResult.GroupComparison(group, experiment.control(), plain,
                    adjusted, Optional.empty(), sequential, bayesian, plannedLooks(experiment, design, decision)));
        }
        return new MetricResult(metric.name(), metric.type(), metric.direction(), comparisons);
    }

    /**
     * A percentile metric's comparisons, from the quantiles and intervals its own statements returned
     * ({@link PercentileFetcher}); the group values are the quantiles. Direction, sequential test and
     * Bayesian summary apply as for other metrics; CUPED does not.
     */
    static MetricResult comparePercentile(Settings experiment, MetricSpec metric, PercentileData data) {
        AnalysisOptions options = experiment.options();
        List<MetricResult.GroupComparison> comparisons = new ArrayList<>();
        Optional<GroupSequential.Design> design = design(experiment, metric);
        for (PercentileData.QuantileDifference difference : data.comparisons()) {
            Comparison comparison = quantileComparison(metric, data, difference.group(), experiment.alpha());
            comparisons.add(new MetricResult.GroupComparison(difference.group(), experiment.control(), comparison,
                    Optional.empty(), Optional.empty(), sequential(options, comparison, experiment.alpha()),
                    bayesian(options, comparison, experiment.alpha()), plannedLooks(experiment, design, comparison)));
        }
        return new MetricResult(metric.name(), metric.type(), metric.direction(), comparisons);
    }

    /**
     * A treatment's quantile against the control's at level {@code alpha} in the metric's direction, as a
     * {@link Comparison} ({@link Percentiles#compare(Interval, Interval, double, dev.pulse.stats.Direction)}:
     * normal, one-sided for {@code increase} and {@code decrease}). When either group has no quantile the
     * comparison is kept with null statistics and the reason among its warnings.
     */
    static Comparison quantileComparison(MetricSpec metric, PercentileData data, String treatment, double alpha) {
        PercentileData.GroupQuantile control = data.group(data.control()).orElseThrow();
        PercentileData.GroupQuantile group = data.group(treatment).orElseThrow();
        PercentileData.QuantileDifference difference = data.comparisons().stream()
                .filter(d -> d.group().equals(treatment)).findFirst().orElseThrow();
        if (control.interval().estimate() == null || group.interval().estimate() == null) {
            List<String> warnings = new ArrayList<>(difference.warnings());
            Interval none = new Interval(null, null, null, null);
            return new Comparison(control.quantile(), group.quantile(), control.units(), group.units(), none, none,
                    null, null, false, warnings);
        }
        return fromQuantiles(Percentiles.compare(control.interval(), group.interval(), alpha,
                direction(metric.direction())), control, group, alpha);
    }

    private static Comparison fromQuantiles(Percentiles.QuantileComparison q, PercentileData.GroupQuantile control,
            PercentileData.GroupQuantile treatment, double alpha) {
        List<String> warnings = new ArrayList<>(q.warnings());
        return new Comparison(q.controlQuantile(), q.treatmentQuantile(), control.units(), treatment.units(),
                q.absolute(), q.relative(), null, q.pValue(), q.pValue() != null && q.pValue() < alpha, warnings);
    }

    private static Optional<MetricResult.SequentialResult> sequential(AnalysisOptions options, Comparison decision,
            double alpha) {
        return options.sequential().map(s -> switch (s.method()) {
            case MSPRT -> {
                double fraction = s.tau().orElse(AlwaysValidInference.DEFAULT_MIXING_FRACTION);
                yield new MetricResult.SequentialResult(s.method(), fraction, s.minUnits(), alpha,
                        AlwaysValidInference.compare(decision, fraction, s.minUnits(), alpha));
            }
            case GROWTHBOOK -> {
                double tuning = s.tuning().orElse(AsymptoticConfidenceSequence.DEFAULT_TUNING);
                yield new MetricResult.SequentialResult(s.method(), tuning, s.minUnits(), alpha,
                        AsymptoticConfidenceSequence.compare(decision, tuning, s.minUnits(), alpha));
            }
        });
    }

    /** The boundaries of the planned looks in the metric's direction; one design serves every treatment. */
    private static Optional<GroupSequential.Design> design(Settings experiment, MetricSpec metric) {
        return experiment.looks().map(looks -> looks.design(metric.direction()));
    }

    /** The group-sequential figures of the decision comparison: a decision only at a planned look. */
    private static Optional<MetricResult.PlannedLookResult> plannedLooks(Settings experiment,
            Optional<GroupSequential.Design> design, Comparison decision) {
        return experiment.looks().map(Looks::position).map(looks -> {
            Optional<String> reason = looks.noDecisionReason();
            Optional<GroupSequential.Result> result = reason.isPresent() ? Optional.empty()
                    : Optional.of(GroupSequential.test(design.orElseThrow(), looks.look(), decision));
            List<String> warnings = new ArrayList<>();
            reason.ifPresent(warnings::add);
            result.ifPresent(r -> warnings.addAll(r.warnings()));
            return new MetricResult.PlannedLookResult(looks, design.orElseThrow(), result, warnings);
        });
    }

    private static Optional<MetricResult.BayesianResult> bayesian(AnalysisOptions options, Comparison decision,
            double alpha) {
        return switch (options.method()) {
            case FREQUENTIST -> Optional.empty();
            case BAYESIAN -> {
                BayesianSummary.NormalPrior prior = options.prior()
                        .map(MetricComparisons::prior)
                        .orElse(BayesianSummary.NormalPrior.DEFAULT);
                yield Optional.of(new MetricResult.BayesianResult(prior.mean(), prior.standardDeviation(),
                        BayesianSummary.summarize(decision, prior, alpha)));
            }
        };
    }

    private static Optional<Comparison> adjustedAt(Optional<Adjustment> result, String treatment) {
        return result.flatMap(r -> r.comparisons().stream()
                .filter(c -> c.treatment().equals(treatment))
                .findFirst()
                .map(RegressionAdjustment.AdjustedComparison::adjusted));
    }

    /** The comparison at another level (for intervals widened by a correction). */
    static Comparison recompute(Settings experiment, MetricSpec metric, Map<String, GroupMoments> moments,
            Map<String, CovariateMoments> covariates, Optional<CovariateSet> set, String treatment, boolean cuped,
            double alpha) {
        if (cuped) {
            Optional<Comparison> comparison = adjustedAt(cuped(experiment, metric, covariates, set, alpha), treatment);
            if (comparison.isPresent()) {
                return comparison.get();
            }
        }
        return DeltaMethodComparison.compare(momentsOf(metric, moments, experiment.control()),
                momentsOf(metric, moments, treatment), comparisonOptions(experiment, metric, alpha));
    }

    private static DeltaMethodComparison.Options comparisonOptions(Settings experiment, MetricSpec metric, double alpha) {
        return DeltaMethodComparison.Options.of(alpha)
                .withDirection(direction(metric.direction()))
                .withRelativeInterval(relativeInterval(experiment.options().relativeInterval()));
    }

    /**
     * CUPED over the groups that have units, by the metric's own pre-period or, with {@code set}, by several
     * covariates ({@link MultiCovariateAdjustment}); empty without CUPED or without the control.
     */
    private static Optional<Adjustment> cuped(Settings experiment, MetricSpec metric,
            Map<String, CovariateMoments> covariates, Optional<CovariateSet> set, double alpha) {
        if (experiment.options().cuped().isEmpty() || !covariates.containsKey(experiment.control())) {
            return Optional.empty();
        }
        if (set.isPresent() && set.get().groups().containsKey(experiment.control())) {
            List<String> names = set.get().names();
            MultiCovariateAdjustment.Result result = MultiCovariateAdjustment.compare(
                    new LinkedHashMap<>(set.get().groups()), experiment.control(),
                    comparisonOptions(experiment, metric, alpha), names);
            List<MetricResult.Coefficient> coefficients = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                coefficients.add(new MetricResult.Coefficient(names.get(k), result.coefficients().get(k)));
            }
            Double own = result.coefficients().get(0);
            return Optional.of(new Adjustment(own == null ? 0.0 : own, coefficients, result.comparisons(),
                    result.warnings()));
        }
        RegressionAdjustment.Result result = RegressionAdjustment.compare(new LinkedHashMap<>(covariates),
                experiment.control(), comparisonOptions(experiment, metric, alpha));
        return Optional.of(new Adjustment(result.theta(), List.of(), result.comparisons(), result.warnings()));
    }

    /** A regression adjustment's figures: θ on the own pre-period, every coefficient with several covariates. */
    private record Adjustment(double theta, List<MetricResult.Coefficient> coefficients,
                              List<RegressionAdjustment.AdjustedComparison> comparisons, List<String> warnings) {}

    /** A group's moments, or those of a group with no units when the warehouse returned none. */
    static GroupMoments momentsOf(MetricSpec metric, Map<String, GroupMoments> moments, String group) {
        GroupMoments found = moments.get(group);
        if (found != null) {
            return found;
        }
        double emptyMeanY = metric.hasDenominator() ? 0 : 1;
        return new GroupMoments(0, 0, emptyMeanY, 0, 0, 0);
    }

    /** The statistics' direction of a metric's {@code direction}. */
    static dev.pulse.stats.Direction direction(Direction direction) {
        return switch (direction) {
            case TWO_SIDED -> dev.pulse.stats.Direction.TWO_SIDED;
            case INCREASE -> dev.pulse.stats.Direction.INCREASE;
            case DECREASE -> dev.pulse.stats.Direction.DECREASE;
        };
    }

    private static dev.pulse.stats.RelativeInterval relativeInterval(RelativeInterval interval) {
        return switch (interval) {
            case DELTA -> dev.pulse.stats.RelativeInterval.DELTA;
            case FIELLER -> dev.pulse.stats.RelativeInterval.FIELLER;
        };
    }

    private static BayesianSummary.NormalPrior prior(Prior prior) {
        return new BayesianSummary.NormalPrior(prior.mean(), prior.standardDeviation());
    }
}
