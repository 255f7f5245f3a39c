package dev.pulse.sql;

import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;

import java.util.ArrayList;
import java.util.List;

/**
 * The names of the columns an experiment's statement returns: one row per counted group, each with
 * the excluded-unit counts (or a single row with a NULL group when no unit is counted). A metric's
 * columns are named after it: its {@link MetricColumns#columnName()} and a fixed suffix
 * ({@code revenue_per_user__mean_x}).
 */
public final class ResultColumns {
    /** The group name (a string). */
    public static final String GROUP = "grp";
    /** Counted units of the group. */
    public static final String UNITS = "n";
    /** Units exposed to more than one group (the same in every row). */
    public static final String EXCLUDED_MULTIPLE_GROUPS = "excluded_multiple_groups";
    /** Units whose only group is not listed (the same in every row). */
    public static final String EXCLUDED_UNKNOWN_GROUP = "excluded_unknown_group";
    /** Under a trigger: exposed units that would be counted but have no qualifying row. */
    public static final String EXCLUDED_NOT_TRIGGERED = "excluded_not_triggered";

    /** With an ID mapping: IDs linked to counted units of more than one group, excluded (the same in every row). */
    public static final String EXCLUDED_CONFLICTING_IDS = "excluded_conflicting_ids";
    /** With an ID mapping: rows of the mapped sources in the experiment's dates whose ID is excluded as conflicting. */
    public static final String EXCLUDED_CONFLICTING_ROWS = "excluded_conflicting_rows";
    /** With an ID mapping: rows of the mapped sources in the experiment's dates whose ID links to no counted unit. */
    public static final String EXCLUDED_UNMAPPED_ROWS = "excluded_unmapped_rows";
    /** With an ID mapping: counted units to which no ID is attributed (analysed with zeros). */
    public static final String UNITS_WITHOUT_IDS = "units_without_ids";

    /**
     * With dimensions: the dimension (column name) a row's moments are for, NULL on the
     * experiment-wide rows.
     */
    public static final String DIMENSION = "dimension";
    /** With dimensions: the dimension's value (or bucket) a row's moments are for, NULL on experiment-wide rows. */
    public static final String DIMENSION_VALUE = "dimension_value";
    /**
     * With daily results: whole days since the start (0 for the start day) on the rows of cumulative
     * moments as of the end of that day; NULL on the rows of the full result.
     */
    public static final String DAY = "day";
    /**
     * With daily results: whole days since each unit's first exposure (0 for its exposure day) on the rows of
     * the days-since-exposure series, the moments of the units' values through that day of theirs; NULL on the
     * other rows (docs/daily-results.md#days-since-exposure).
     */
    public static final String DAYS_SINCE_EXPOSURE = "days_since_exposure";

    private ResultColumns() {}

    /**
     * Units with a value for {@code metric}: only for a metric with a
     * window, where units whose window is open at the end have none; otherwise every counted unit.
     */
    public static String metricUnits(MetricColumns metric) {
        return metric.columnName().with("__n");
    }

    /*
     * The X moments are those of X − c·Y (X − c for Y ≡ 1), with the metric's pilot c (shiftX) over all
     * counted units of the statement (of the day, on daily rows); variances and covariances of Y are taken
     * of Y − b with b = AVG(Y) over the same units, which changes them only by rounding; the mean of Y is
     * plain. See docs/statistics.md, "How the moments are computed".
     */

    /** AVG of {@code metric}'s per-unit X − c·Y, c = {@link #shiftX}. */
    public static String meanX(MetricColumns metric) {
        return metric.columnName().with("__mean_x");
    }

    /**
     * AVG of X itself: its only use is to know when a group's value is exactly 0 (every shifted figure is
     * taken from {@link #meanX}).
     */
    public static String rawMeanX(MetricColumns metric) {
        return metric.columnName().with("__raw_mean_x");
    }

    /** The pilot c the X values are shifted by: ΣX/ΣY over the units (mean of X for Y ≡ 1), 0 without units. */
    public static String shiftX(MetricColumns metric) {
        return metric.columnName().with("__shift_x");
    }

    /** The pilot c₀ of the pre-period X₀ (CUPED only), as {@link #shiftX}. */
    public static String shiftPreX(MetricColumns metric) {
        return metric.columnName().with("__shift_x0");
    }

    /** VAR_SAMP of X − c·Y; NULL for fewer than 2 units. */
    public static String varX(MetricColumns metric) {
        return metric.columnName().with("__var_x");
    }

    /** AVG of Y; only for metrics with a denominator. */
    public static String meanY(MetricColumns metric) {
        return metric.columnName().with("__mean_y");
    }

    /** VAR_SAMP of Y; only for metrics with a denominator. */
    public static String varY(MetricColumns metric) {
        return metric.columnName().with("__var_y");
    }

    /** COVAR_SAMP of X and Y; only for metrics with a denominator. */
    public static String covXY(MetricColumns metric) {
        return metric.columnName().with("__cov_xy");
    }

    /** AVG of the pre-period X₀ − c₀·Y₀ (CUPED only). */
    public static String meanPreX(MetricColumns metric) {
        return metric.columnName().with("__mean_x0");
    }

    /** VAR_SAMP of X₀ (CUPED only). */
    public static String varPreX(MetricColumns metric) {
        return metric.columnName().with("__var_x0");
    }

    /** COVAR_SAMP of X and X₀ (CUPED only). */
    public static String covXPreX(MetricColumns metric) {
        return metric.columnName().with("__cov_xx0");
    }

    /** AVG of the pre-period Y₀ (CUPED, metrics with a denominator). */
    public static String meanPreY(MetricColumns metric) {
        return metric.columnName().with("__mean_y0");
    }

    /** VAR_SAMP of Y₀ (CUPED, metrics with a denominator). */
    public static String varPreY(MetricColumns metric) {
        return metric.columnName().with("__var_y0");
    }

    /** COVAR_SAMP of X₀ and Y₀ (CUPED, metrics with a denominator). */
    public static String covPreXPreY(MetricColumns metric) {
        return metric.columnName().with("__cov_x0y0");
    }

    /** COVAR_SAMP of X and Y₀ (CUPED, metrics with a denominator). */
    public static String covXPreY(MetricColumns metric) {
        return metric.columnName().with("__cov_xy0");
    }

    /** COVAR_SAMP of Y and X₀ (CUPED, metrics with a denominator). */
    public static String covYPreX(MetricColumns metric) {
        return metric.columnName().with("__cov_yx0");
    }

    /** COVAR_SAMP of Y and Y₀ (CUPED, metrics with a denominator). */
    public static String covYPreY(MetricColumns metric) {
        return metric.columnName().with("__cov_yy0");
    }

    /**
     * Under several CUPED covariates, COVAR_SAMP of component {@code a} of metric {@code i} and component {@code b}
     * of metric {@code j} (indices into the plan's metrics; components {@code x}, {@code y}, {@code x0},
     * {@code y0}): {@code pulse_cov_0x_2x0}. No metric's columns are named so: theirs hold {@code __}.
     */
    public static String crossCovariance(int i, Part a, int j, Part b) {
        return "pulse_cov_" + i + a.suffix + "_" + j + b.suffix;
    }

    /** A per-unit component of a metric: X, Y, or their pre-period values X₀, Y₀. */
    public enum Part {
        X("x", false, false),
        Y("y", false, true),
        PRE_X("x0", true, false),
        PRE_Y("y0", true, true);

        private final String suffix;
        private final boolean pre;
        private final boolean denominator;

        Part(String suffix, boolean pre, boolean denominator) {
            this.suffix = suffix;
            this.pre = pre;
            this.denominator = denominator;
        }

        /** True for X₀ and Y₀. */
        public boolean pre() {
            return pre;
        }

        /** True for Y and Y₀. */
        public boolean denominator() {
            return denominator;
        }
    }

    /**
     * One covariance the statement returns for several CUPED covariates: of part {@code a} of metric {@code i} and
     * part {@code b} of metric {@code j}, in column {@code name}.
     */
    public record CrossCovariance(String name, int i, Part a, int j, Part b) {}

    /**
     * The covariances metric {@code i} brings under several covariates ({@link ExperimentPlan#covariatesOf}): of its
     * X and Y with the pre-period X₀ and Y₀ of each other covariate metric j, and of its own X₀ and Y₀ with those of
     * each metric j after it when either is a covariate; none involving a Y of a metric with {@code Y ≡ 1}. With the
     * columns CUPED already returns (each metric's own X, Y, X₀, Y₀) they are every covariance the adjustment of
     * every metric needs.
     */
    public static List<CrossCovariance> crossCovariances(ExperimentPlan plan, int i) {
        List<Integer> covariates = plan.covariateMetrics();
        List<CrossCovariance> columns = new ArrayList<>();
        if (plan.covariatesOf(i).isEmpty()) {
            return columns;
        }
        for (int j : covariates) {
            if (j != i) {
                addPairs(plan, columns, i, Part.X, Part.Y, j);
            }
        }
        for (int j = i + 1; j < plan.metrics().size(); j++) {
            if (!plan.covariatesOf(j).isEmpty() && (covariates.contains(i) || covariates.contains(j))) {
                addPairs(plan, columns, i, Part.PRE_X, Part.PRE_Y, j);
            }
        }
        return List.copyOf(columns);
    }

    private static void addPairs(ExperimentPlan plan, List<CrossCovariance> columns, int i, Part x, Part y, int j) {
        boolean iHasY = plan.metrics().get(i).y().isPresent();
        boolean jHasY = plan.metrics().get(j).y().isPresent();
        for (Part a : iHasY ? List.of(x, y) : List.of(x)) {
            for (Part b : jHasY ? List.of(Part.PRE_X, Part.PRE_Y) : List.of(Part.PRE_X)) {
                columns.add(new CrossCovariance(crossCovariance(i, a, j, b), i, a, j, b));
            }
        }
    }
}
