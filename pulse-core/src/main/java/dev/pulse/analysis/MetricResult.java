package dev.pulse.analysis;

import dev.pulse.model.Direction;
import dev.pulse.model.SequentialMethod;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.AsymptoticConfidenceSequence;
import dev.pulse.stats.BayesianSummary;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GroupSequential;
import dev.pulse.stats.Interval;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One metric's comparisons: every treatment against the control.
 *
 * @param direction                the metric's tested direction; one-sided p-values and intervals when not two-sided
 * @param excludedUnitsWindowOpen  for a metric with a window: the counted units (all groups) left out
 *                                 of it because their window had not closed by the experiment's end;
 *                                 empty for a metric without a window
 * @param timeseries               with daily results: per treatment group, the cumulative comparison as
 *                                 of each day from start to end; else empty
 * @param unitsWithValue           for a first or latest value metric: per group (in report order), its units
 *                                 with a value, ΣY (the others are left out of its mean); else empty
 * @param steps                    for a funnel: each step's conversion from the previous step (from step 2 on);
 *                                 else empty
 * @param daysSinceExposure        with daily results: per treatment group, the comparison by days since each unit's
 *                                 exposure (k = 0, 1, …); else empty
 */
public record MetricResult(String metric, String type, Direction direction, List<GroupComparison> comparisons,
                           OptionalLong excludedUnitsWindowOpen, Map<String, List<DailyPoint>> timeseries,
                           Map<String, Long> unitsWithValue, List<Step> steps,
                           Map<String, List<ExposureDayPoint>> daysSinceExposure) {

    public MetricResult {
        Objects.requireNonNull(direction);
        comparisons = List.copyOf(comparisons);
        Objects.requireNonNull(excludedUnitsWindowOpen);
        timeseries = Map.copyOf(timeseries);
        unitsWithValue = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unitsWithValue));
        steps = List.copyOf(steps);
        daysSinceExposure = Map.copyOf(daysSinceExposure);
    }

    /** A result without a days-since-exposure series. */
    public MetricResult(String metric, String type, Direction direction, List<GroupComparison> comparisons,
                        OptionalLong excludedUnitsWindowOpen, Map<String, List<DailyPoint>> timeseries,
                        Map<String, Long> unitsWithValue, List<Step> steps) {
        this(metric, type, direction, comparisons, excludedUnitsWindowOpen, timeseries, unitsWithValue, steps, Map.of());
    }

    /** A result without units with a value or funnel steps (every metric type but first/latest value and funnel). */
    public MetricResult(String metric, String type, Direction direction, List<GroupComparison> comparisons,
                        OptionalLong excludedUnitsWindowOpen, Map<String, List<DailyPoint>> timeseries) {
        this(metric, type, direction, comparisons, excludedUnitsWindowOpen, timeseries, Map.of(), List.of());
    }

    /**
     * One funnel step's conversion from the previous step (docs/metric-types.md#funnel): per treatment the plain
     * comparison with the control of X = reached this step over Y = reached the previous one, in the metric's
     * direction, with no correction, CUPED, sequential test or Bayesian summary (those apply to the overall
     * conversion, the metric's own comparisons).
     */
    public record Step(String step, List<GroupComparison> comparisons) {
        public Step {
            Objects.requireNonNull(step);
            comparisons = List.copyOf(comparisons);
        }
    }

    /** This result with funnel steps. */
    MetricResult withSteps(List<Step> newSteps) {
        return new MetricResult(metric, type, direction, comparisons, excludedUnitsWindowOpen, timeseries, unitsWithValue, newSteps,
                daysSinceExposure);
    }

    /** A metric without a window. */
    public MetricResult(String metric, String type, Direction direction, List<GroupComparison> comparisons) {
        this(metric, type, direction, comparisons, OptionalLong.empty(), Map.of());
    }

    /** This result with other comparisons. */
    MetricResult withComparisons(List<GroupComparison> newComparisons) {
        return new MetricResult(metric, type, direction, newComparisons, excludedUnitsWindowOpen, timeseries, unitsWithValue, steps,
                daysSinceExposure);
    }

    /** This result with the count of units left out because their window was open. */
    MetricResult withExcludedUnitsWindowOpen(long units) {
        return new MetricResult(metric, type, direction, comparisons, OptionalLong.of(units), timeseries, unitsWithValue, steps,
                daysSinceExposure);
    }

    /** This result with daily results per treatment group. */
    MetricResult withTimeseries(Map<String, List<DailyPoint>> series) {
        return new MetricResult(metric, type, direction, comparisons, excludedUnitsWindowOpen, series, unitsWithValue, steps,
                daysSinceExposure);
    }

    /** This result with the days-since-exposure series per treatment group. */
    MetricResult withDaysSinceExposure(Map<String, List<ExposureDayPoint>> series) {
        return new MetricResult(metric, type, direction, comparisons, excludedUnitsWindowOpen, timeseries, unitsWithValue,
                steps, series);
    }

    /** This result with the units with a value per group. */
    MetricResult withUnitsWithValue(Map<String, Long> units) {
        return new MetricResult(metric, type, direction, comparisons, excludedUnitsWindowOpen, timeseries, units, steps,
                daysSinceExposure);
    }

    /**
     * The plain (unadjusted, uncorrected) comparison of one treatment with the control as of the end of
     * {@code date}: over the units first exposed by then, with their rows up to then. Its statistics
     * are null with a warning when a group has fewer than 2 units.
     */
    public record DailyPoint(LocalDate date, long controlUnits, long treatmentUnits, Comparison comparison) {
        public DailyPoint {
            Objects.requireNonNull(date);
            Objects.requireNonNull(comparison);
        }
    }

    /**
     * The plain (unadjusted, uncorrected) comparison of one treatment with the control by days since exposure:
     * each unit's value through its own day {@code daysSinceExposure} (day 0 is the day of its first exposure),
     * over the units whose day k ended by the experiment's end. Its statistics are null with a warning when a
     * group has fewer than 2 such units.
     */
    public record ExposureDayPoint(int daysSinceExposure, long controlUnits, long treatmentUnits, Comparison comparison) {
        public ExposureDayPoint {
            Objects.requireNonNull(comparison);
        }
    }

    /** A two-sided metric. */
    public MetricResult(String metric, String type, List<GroupComparison> comparisons) {
        this(metric, type, Direction.TWO_SIDED, comparisons);
    }

    /**
     * One treatment against the control. {@code statistics} is the plain comparison of docs/statistics.md; the
     * optional parts are present when the experiment asks for them. With CUPED the adjusted comparison
     * is the one decisions are made on: the correction, the sequential test and the Bayesian summary
     * use it.
     */
    public record GroupComparison(
            String group,
            String control,
            Comparison statistics,
            Optional<CupedResult> cuped,
            Optional<CorrectedResult> corrected,
            Optional<SequentialResult> sequential,
            Optional<BayesianResult> bayesian,
            Optional<PlannedLookResult> plannedLooks) {

        public GroupComparison {
            Objects.requireNonNull(statistics);
            Objects.requireNonNull(cuped);
            Objects.requireNonNull(corrected);
            Objects.requireNonNull(sequential);
            Objects.requireNonNull(bayesian);
            Objects.requireNonNull(plannedLooks);
        }

        /** A comparison without planned looks. */
        public GroupComparison(String group, String control, Comparison statistics, Optional<CupedResult> cuped,
                Optional<CorrectedResult> corrected, Optional<SequentialResult> sequential,
                Optional<BayesianResult> bayesian) {
            this(group, control, statistics, cuped, corrected, sequential, bayesian, Optional.empty());
        }

        /** A plain comparison, without options. */
        public GroupComparison(String group, String control, Comparison statistics) {
            this(group, control, statistics, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** The comparison decisions are made on: CUPED-adjusted when present, else the plain one. */
        public Comparison decision() {
            return cuped.map(CupedResult::adjusted).orElse(statistics);
        }

        /** Significant after the correction when there is one, else by the decision comparison's p-value. */
        public boolean significant() {
            return corrected.map(CorrectedResult::significant).orElse(decision().significant());
        }

        GroupComparison withCorrected(CorrectedResult result) {
            return new GroupComparison(group, control, statistics, cuped, Optional.of(result), sequential, bayesian,
                    plannedLooks);
        }
    }

    /**
     * CUPED / regression adjustment (Deng, Xu, Kohavi &amp; Walker, WSDM 2013), with one covariate or several
     * (docs/regression-adjustment.md).
     *
     * @param theta              the pooled regression coefficient on the metric's own pre-period value (0 when it
     *                           was not used)
     * @param varianceReduction  1 − var(adjusted Δ) / var(plain Δ), or null when undefined
     * @param covariates         with several covariates: each one's coefficient, the metric's own first; else empty
     */
    public record CupedResult(int lookbackDays, double theta, Double varianceReduction, Comparison adjusted,
                              List<String> warnings, List<Coefficient> covariates) {
        public CupedResult {
            Objects.requireNonNull(adjusted);
            warnings = List.copyOf(warnings);
            covariates = List.copyOf(covariates);
        }

        /** CUPED with the metric's own pre-period alone. */
        public CupedResult(int lookbackDays, double theta, Double varianceReduction, Comparison adjusted,
                           List<String> warnings) {
            this(lookbackDays, theta, varianceReduction, adjusted, warnings, List.of());
        }

        /** How many covariates were used: 1 for CUPED's own pre-period (0 when θ is 0), else those with a θ. */
        public int covariatesUsed() {
            if (covariates.isEmpty()) {
                return theta == 0.0 ? 0 : 1;
            }
            return (int) covariates.stream().filter(c -> c.theta() != null).count();
        }
    }

    /**
     * One covariate of a regression adjustment with several.
     *
     * @param covariate the metric whose pre-period value it is, or {@code attribute=value} for the indicator of an
     *                  attribute's value
     * @param theta     its coefficient, or null when it was not used (the warnings say why)
     */
    public record Coefficient(String covariate, Double theta) {
        public Coefficient {
            Objects.requireNonNull(covariate);
        }
    }

    /**
     * The decision comparison after a multiple-comparison correction over every metric and treatment
     * of the experiment: adjusted p-value, decision, and intervals recomputed at the corrected level.
     */
    public record CorrectedResult(String method, int familySize, Double pValue, boolean significant,
                                  double intervalAlpha, Interval absolute, Interval relative) {
    }

    /**
     * The always-valid (sequential) figures of the decision comparison.
     *
     * @param method       the mixture SPRT or GrowthBook's asymptotic confidence sequence
     * @param parameter    {@code msprt}: the mixing fraction τ/|R_c|; {@code growthbook}: the tuning parameter N*
     * @param minimumUnits units each arm needs before figures are shown
     * @param alpha        the level the figures were computed at
     * @param result       the figures; for {@code growthbook} {@code mixingStandardDeviation} is the
     *                     equivalent τ = ρσ̂ and {@code logLikelihoodRatio} is ln E
     */
    public record SequentialResult(SequentialMethod method, double parameter, long minimumUnits, double alpha,
                                   AlwaysValidInference.SequentialComparison result) {
        public SequentialResult {
            Objects.requireNonNull(method);
            Objects.requireNonNull(result);
        }

        /** GrowthBook's ρ from N* and α ({@link AsymptoticConfidenceSequence#rho}); null for the mSPRT. */
        public Double rho() {
            return method == SequentialMethod.GROWTHBOOK ? AsymptoticConfidenceSequence.rho(alpha, parameter) : null;
        }

        /** A short label for tables: {@code msprt τ=0.05} or {@code growthbook N*=5000}. */
        public String label() {
            return switch (method) {
                case MSPRT -> "msprt tau=" + plain(parameter);
                case GROWTHBOOK -> "growthbook N*=" + plain(parameter);
            };
        }

        private static String plain(double value) {
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * The group-sequential test at planned looks of the decision comparison
     * ({@link dev.pulse.stats.GroupSequential}): the boundaries of every planned look, and at a look the
     * decision and repeated confidence intervals.
     *
     * @param position where the analysis stands among the looks
     * @param design   the boundaries of all planned looks (in the metric's direction, at the experiment's α)
     * @param result   the decision at the current look; empty when the analysis is not at a look
     * @param warnings why there is no decision, and the statistics' own warnings
     */
    public record PlannedLookResult(LookPosition position, GroupSequential.Design design,
                                    Optional<GroupSequential.Result> result, List<String> warnings) {
        public PlannedLookResult {
            Objects.requireNonNull(position);
            Objects.requireNonNull(design);
            Objects.requireNonNull(result);
            warnings = List.copyOf(warnings);
        }
    }

    /** The Bayesian summary of the decision comparison's relative lift. */
    public record BayesianResult(double priorMean, double priorStandardDeviation, BayesianSummary.Result result) {
    }
}
