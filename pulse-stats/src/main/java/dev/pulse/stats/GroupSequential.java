package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.analysis.solvers.BrentSolver;

/**
 * Group-sequential tests with α-spending: a test planned to be looked at K times, at information
 * fractions {@code 0 < t₁ < … < t_K = 1}, that spends its error rate α over the looks by a spending
 * function {@code α(t)} (Lan &amp; DeMets, "Discrete sequential boundaries for clinical trials",
 * Biometrika 70(3), 1983, 659–663). Under H₀ the z-statistics at the looks are jointly normal with
 * {@code Cov(Z_i, Z_j) = √(t_i / t_j)} (i ≤ j); the boundary {@code c_k} of look k solves
 * <pre>  P(Z_k ≥ c_k, Z_j &lt; c_j for j &lt; k) = α(t_k) − α(t_{k−1})        (one side)</pre>
 * by the recursive numerical integration of Armitage, McPherson &amp; Rowe ("Repeated significance tests
 * on accumulating data", JRSS A 132(2), 1969, 235–244), as laid out by Jennison &amp; Turnbull
 * (<i>Group Sequential Methods with Applications to Clinical Trials</i>, Chapman &amp; Hall 2000, §19.2):
 * the sub-density of the score {@code S_k = Z_k √t_k} on the continuation region is carried from look
 * to look by convolving with the normal density of the independent increment
 * {@code S_k − S_{k−1} ~ N(0, t_k − t_{k−1})}; the integrals use Simpson's rule on a grid whose
 * spacing is a 1/{@value #POINTS_PER_SD} of the narrowest normal kernel involved, and each boundary is
 * found by Brent's method (accuracy better than
 * 1e-9 in the crossing probabilities, so 1e-6 in the boundaries even at 4.9; checked against
 * {@code make_reference_group_sequential.py}, which uses scipy's multivariate normal distribution
 * function instead).
 *
 * <p><b>Sides.</b> A one-sided test ({@link Direction#INCREASE}: reject for large Z;
 * {@link Direction#DECREASE}: for small Z) spends α on its one side. A two-sided test at α is the
 * symmetric pair of one-sided tests at α/2, each side spending {@code α(t; α/2)}, and its boundaries
 * solve the two-sided crossing probability exactly (the convention of R's gsDesign, test.type = 2,
 * and rpact, sided = 2; the two-sided boundaries are those of the one-sided test at α/2 up to the
 * paths that approach one side and then cross the other: 1e-7 for O'Brien–Fleming at 0.05, 2e-4 for
 * Pocock at 0.1).
 *
 * <p><b>Repeated confidence interval</b> (Jennison &amp; Turnbull 2000, ch. 9): at look k,
 * {@code Δ̂ ± c_k · SE} (two-sided) or its one-sided half; the intervals at all looks cover Δ together
 * with probability at least 1 − α, and the interval at a look excludes 0 exactly when the test crosses.
 *
 * <p>Pure: no I/O; the normal distribution is commons-math3's erfc and inverse.
 */
public final class GroupSequential {
    /** Grid points per standard deviation of the narrowest kernel (Simpson's rule, error ~ h⁴). */
    static final int POINTS_PER_SD = 32;
    /** Where a one-sided continuation region is cut below: the score's mass below −12 SD is < 1e-32. */
    private static final double LOWER_CUT_SD = 12.0;
    /** How far the convolution kernel is summed, in its standard deviations. */
    private static final double KERNEL_REACH_SD = 12.0;
    /** A boundary no z-statistic reaches: used when the α spent at a look is below what doubles resolve. */
    static final double MAX_BOUNDARY = 40.0;
    /** The most looks a design may have. */
    public static final int MAX_LOOKS = 50;

    private GroupSequential() {}

    /** The Lan–DeMets spending functions: the cumulative error rate {@code α(t)} spent by fraction t. */
    public enum Spending {
        /**
         * O'Brien–Fleming type: {@code α(t) = 2 − 2Φ(Φ⁻¹(1 − α/2) / √t)} (Lan &amp; DeMets 1983, eq. for
         * α₁*(t); gsDesign {@code sfLDOF}, rpact {@code asOF}); spends almost nothing early.
         */
        OBRIEN_FLEMING,
        /** Pocock type: {@code α(t) = α · ln(1 + (e − 1) t)} (Lan &amp; DeMets 1983, α₂*(t); rpact {@code asP}). */
        POCOCK;

        /** {@code α(t)} for a one-sided error rate α; {@code α(1) = α}. */
        public double spent(double fraction, double alpha) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("information fraction must be in (0, 1], got " + fraction);
            }
            return switch (this) {
                case OBRIEN_FLEMING -> Math.min(alpha, 2.0 * upperTail(
                        -StandardNormal.quantile(alpha / 2.0) / Math.sqrt(fraction)));
                case POCOCK -> alpha * Math.log1p((Math.E - 1.0) * fraction);
            };
        }
    }

    /**
     * One look of a design.
     *
     * @param fraction        information fraction t_k in (0, 1]
     * @param boundary        c_k on the z scale (positive; the lower boundary of a two-sided or
     *                        {@link Direction#DECREASE} test is −c_k)
     * @param nominalAlpha    the fixed-sample p-value at which look k rejects: {@code 1 − Φ(c_k)}, twice
     *                        that when two-sided
     * @param cumulativeAlpha the error rate spent through look k, {@code α(t_k)} (both sides when two-sided)
     */
    public record Look(double fraction, double boundary, double nominalAlpha, double cumulativeAlpha) {
    }

    /**
     * The boundaries of a group-sequential test.
     *
     * @param alpha     the overall error rate (both sides when two-sided)
     * @param direction the test's sides
     * @param spending  the spending function
     * @param looks     the looks in order; copied
     */
    public record Design(double alpha, Direction direction, Spending spending, List<Look> looks) {
        public Design {
            Objects.requireNonNull(direction);
            Objects.requireNonNull(spending);
            looks = List.copyOf(looks);
        }
    }

    /**
     * The decision at one look.
     *
     * @param look             the look, 1-based
     * @param zStatistic       {@code Δ̂ / SE}, or null when undefined
     * @param crossed          whether Z crossed the look's boundary (the test rejects H₀ and may stop); null
     *                         when undefined
     * @param absolute         the repeated confidence interval of the absolute lift at this look
     * @param relative         the repeated confidence interval of the relative lift (delta-method SE)
     * @param warnings         why a figure is null
     */
    public record Result(int look, Double zStatistic, Boolean crossed, Interval absolute, Interval relative,
                         List<String> warnings) {
        public Result {
            Objects.requireNonNull(absolute);
            Objects.requireNonNull(relative);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The boundaries for looks at {@code fractions}.
     *
     * @param fractions strictly increasing, in (0, 1], at most {@link #MAX_LOOKS}; the last is normally 1
     *                  (a design stopped short of 1 spends only {@code α(t_K)})
     * @param spending  the spending function
     * @param alpha     overall error rate in (0, 1) (both sides when two-sided)
     * @param direction sides
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static Design design(double[] fractions, Spending spending, double alpha, Direction direction) {
        Objects.requireNonNull(spending);
        Objects.requireNonNull(direction);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (fractions.length == 0 || fractions.length > MAX_LOOKS) {
            throw new IllegalArgumentException("a design needs 1 to " + MAX_LOOKS + " looks, got " + fractions.length);
        }
        for (int k = 0; k < fractions.length; k++) {
            double previous = k == 0 ? 0 : fractions[k - 1];
            if (!(fractions[k] > previous && fractions[k] <= 1)) {
                throw new IllegalArgumentException("information fractions must increase strictly within (0, 1]: "
                        + java.util.Arrays.toString(fractions));
            }
        }
        boolean twoSided = direction == Direction.TWO_SIDED;
        double sideAlpha = twoSided ? alpha / 2.0 : alpha;
        List<Look> looks = new ArrayList<>();
        Grid density = null;
        double spentBefore = 0;
        for (int k = 0; k < fractions.length; k++) {
            double spent = spending.spent(fractions[k], sideAlpha);
            double increment = spent - spentBefore;
            double boundary;
            if (k == 0) {
                boundary = increment > 0 ? Math.min(MAX_BOUNDARY, -StandardNormal.quantile(increment)) : MAX_BOUNDARY;
            } else {
                boundary = solveBoundary(density, fractions[k], fractions[k] - fractions[k - 1], increment);
            }
            double nextStep = k + 1 < fractions.length ? fractions[k + 1] - fractions[k] : Double.POSITIVE_INFINITY;
            if (k + 1 < fractions.length) {
                density = k == 0
                        ? Grid.first(fractions[0], boundary, twoSided, nextStep)
                        : density.next(fractions[k], fractions[k] - fractions[k - 1], boundary, twoSided, nextStep);
            }
            double nominal = upperTail(boundary) * (twoSided ? 2 : 1);
            looks.add(new Look(fractions[k], boundary, nominal, spent * (twoSided ? 2 : 1)));
            spentBefore = spent;
        }
        return new Design(alpha, direction, spending, looks);
    }

    /**
     * The decision and repeated confidence intervals at look {@code look} (1-based) of {@code design}, for
     * a comparison whose absolute lift is Δ̂ with standard error SE (large-sample normal, as the
     * boundaries assume). Undefined (null z, decision and interval ends, with a warning): a null or zero SE.
     * The relative interval is {@code L̂ ± c_k · SE(L̂)} with the comparison's delta-method SE; null without it.
     */
    public static Result test(Design design, int look, Comparison comparison) {
        Objects.requireNonNull(design);
        Objects.requireNonNull(comparison);
        if (look < 1 || look > design.looks().size()) {
            throw new IllegalArgumentException("look must be 1 to " + design.looks().size() + ", got " + look);
        }
        double boundary = design.looks().get(look - 1).boundary();
        List<String> warnings = new ArrayList<>();
        Interval absolute = repeated(comparison.absolute(), boundary, design.direction());
        Interval relative = repeated(comparison.relative(), boundary, design.direction());
        Double estimate = comparison.absolute().estimate();
        Double error = comparison.absolute().stdError();
        if (estimate == null || error == null || !(error > 0)) {
            warnings.add("no group-sequential decision: the absolute lift has no positive standard error");
            return new Result(look, null, null, absolute, relative, warnings);
        }
        double z = estimate / error;
        boolean crossed = switch (design.direction()) {
            case TWO_SIDED -> Math.abs(z) >= boundary;
            case INCREASE -> z >= boundary;
            case DECREASE -> z <= -boundary;
        };
        return new Result(look, z, crossed, absolute, relative, warnings);
    }

    /** {@code est ± c·SE} with the direction's open end; ends null (not unbounded) when the SE is missing. */
    private static Interval repeated(Interval fixed, double boundary, Direction direction) {
        Double estimate = fixed.estimate();
        Double error = fixed.stdError();
        if (estimate == null || error == null) {
            return new Interval(estimate, error, null, null);
        }
        double lower = estimate - boundary * error;
        double upper = estimate + boundary * error;
        return switch (direction) {
            case TWO_SIDED -> new Interval(estimate, error, lower, upper);
            case INCREASE -> new Interval(estimate, error, lower, null, false, true);
            case DECREASE -> new Interval(estimate, error, null, upper, true, false);
        };
    }

    /**
     * The c at which one side's crossing probability at this look equals {@code target}: Brent's method on
     * {@code ln P(c) − ln target} (the logarithm keeps targets of 1e-30 as well resolved as 0.01), to 1e-12.
     */
    private static double solveBoundary(Grid previous, double fraction, double step, double target) {
        if (!(target > 0)) {
            return MAX_BOUNDARY;
        }
        double root = Math.sqrt(fraction);
        double logTarget = Math.log(target);
        if (previous.upperCrossing(MAX_BOUNDARY * root, step) >= target) {
            return MAX_BOUNDARY;
        }
        // P(0) is about half the mass still in play, far above any increment of a spending function
        return new BrentSolver(1e-14, 1e-12).solve(200,
                c -> Math.log(previous.upperCrossing(c * root, step)) - logTarget, 0, MAX_BOUNDARY);
    }

    /** {@code 1 − Φ(x)} without cancellation in the upper tail. */
    static double upperTail(double x) {
        return StandardNormal.cumulative(-x);
    }

    /**
     * The sub-density of the score {@code S_k} on the continuation region of look k (paths that have
     * crossed no boundary yet), at equally spaced points with Simpson weights.
     */
    private record Grid(double[] points, double[] weightedDensity) {

        /** Look 1: S₁ ~ N(0, t₁) cut to its continuation region. */
        static Grid first(double fraction, double boundary, boolean twoSided, double nextStep) {
            double[] points = points(fraction, boundary, twoSided, fraction, nextStep);
            double sd = Math.sqrt(fraction);
            double[] values = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                values[i] = StandardNormal.density(points[i] / sd) / sd;
            }
            return new Grid(points, simpson(points, values));
        }

        /** Look k from look k − 1: {@code f_k(s) = ∫ f_{k−1}(u) φ((s − u)/√Δ)/√Δ du} on look k's region. */
        Grid next(double fraction, double step, double boundary, boolean twoSided, double nextStep) {
            double[] next = points(fraction, boundary, twoSided, step, nextStep);
            double sd = Math.sqrt(step);
            double h = (points[points.length - 1] - points[0]) / (points.length - 1);
            double reach = KERNEL_REACH_SD * sd;
            double[] values = new double[next.length];
            for (int j = 0; j < next.length; j++) {
                // the kernel beyond 12 SD is below 1e-32 of its peak: only the source points within reach
                int from = Math.max(0, (int) Math.floor((next[j] - reach - points[0]) / h));
                int to = Math.min(points.length - 1, (int) Math.ceil((next[j] + reach - points[0]) / h));
                double sum = 0;
                for (int i = from; i <= to; i++) {
                    sum += weightedDensity[i] * StandardNormal.density((next[j] - points[i]) / sd);
                }
                values[j] = sum / sd;
            }
            return new Grid(next, simpson(next, values));
        }

        /** {@code P(S_k ≥ u, no earlier crossing) = ∫ f_{k−1}(s) (1 − Φ((u − s)/√Δ)) ds}. */
        double upperCrossing(double scoreBoundary, double step) {
            double sd = Math.sqrt(step);
            double sum = 0;
            for (int i = 0; i < points.length; i++) {
                sum += weightedDensity[i] * upperTail((scoreBoundary - points[i]) / sd);
            }
            return sum;
        }

        /**
         * An odd number of equally spaced points over the continuation region of the score at {@code fraction}:
         * {@code [−c√t, c√t]} two-sided, {@code [−12√t, c√t]} one-sided; spacing at most
         * 1/{@value #POINTS_PER_SD} of the narrowest kernel that integrates over or into it.
         */
        private static double[] points(double fraction, double boundary, boolean twoSided, double step,
                double nextStep) {
            double sd = Math.sqrt(fraction);
            double upper = boundary * sd;
            double lower = twoSided ? -upper : -LOWER_CUT_SD * sd;
            if (!twoSided) {
                upper = Math.max(upper, lower + sd);
            }
            upper = Math.min(upper, LOWER_CUT_SD * sd);
            lower = Math.max(lower, -LOWER_CUT_SD * sd);
            double scale = Math.sqrt(Math.min(step, nextStep));
            int intervals = 2 * (int) Math.ceil((upper - lower) / scale * POINTS_PER_SD / 2.0);
            intervals = Math.max(intervals, 2);
            double[] points = new double[intervals + 1];
            for (int i = 0; i <= intervals; i++) {
                points[i] = lower + (upper - lower) * i / intervals;
            }
            return points;
        }

        /** values times Simpson's weights h/3 · (1, 4, 2, 4, …, 4, 1). */
        private static double[] simpson(double[] points, double[] values) {
            int last = points.length - 1;
            double h = (points[last] - points[0]) / last;
            double[] weighted = new double[points.length];
            for (int i = 0; i <= last; i++) {
                double weight = i == 0 || i == last ? 1 : (i % 2 == 1 ? 4 : 2);
                weighted[i] = values[i] * weight * h / 3.0;
            }
            return weighted;
        }
    }
}
