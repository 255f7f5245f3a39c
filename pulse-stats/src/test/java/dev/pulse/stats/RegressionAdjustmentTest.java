package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CUPED worked by hand, its undefined cases and its properties. Rational results are checked to 1e-14
 * relative (double rounding only); the t quantile and tail at ν = 1.805/0.8297 come from scipy 1.17.1
 * and are checked to 1e-9.
 */
class RegressionAdjustmentTest {

    private static final double EXACT = 1e-14;

    /** Moments of per-unit rows {X, Y, X₀, Y₀} merged the textbook way (two-pass, divisor n − 1). */
    static CovariateMoments rows(double[][] rows) {
        int n = rows.length;
        double[] mean = new double[4];
        for (double[] row : rows) {
            for (int j = 0; j < 4; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] c = new double[4][4];
        for (double[] row : rows) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    c[i][j] += n < 2 ? 0 : (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
                }
            }
        }
        return new CovariateMoments(new GroupMoments(n, mean[0], mean[1], c[0][0], c[1][1], c[0][1]),
                new GroupMoments(n, mean[2], mean[3], c[2][2], c[3][3], c[2][3]), c[0][2], c[0][3], c[1][2], c[1][3]);
    }

    private static Map<String, CovariateMoments> arms(CovariateMoments control, CovariateMoments treatment) {
        Map<String, CovariateMoments> groups = new LinkedHashMap<>();
        groups.put("control", control);
        groups.put("treatment", treatment);
        return groups;
    }

    /**
     * Y ≡ 1. Control (X, X₀) = (1, 0), (3, 1), (2, 2): x̄ = 2, x̄₀ = 1, s_xx = 1, s_x₀x₀ = 1, cov = 1/2.
     * Treatment (3, 0), (5, 2), (7, 4): x̄ = 5, x̄₀ = 2, s_xx = 4, s_x₀x₀ = 4, cov = 4.
     * θ = (2·½ + 2·4)/(2·1 + 2·4) = 9/10; R̄₀ = (3·1 + 3·2)/6 = 3/2.
     * R_c,adj = 2 − 0.9·(1 − 1.5) = 2.45, R_t,adj = 5 − 0.9·(2 − 1.5) = 4.55, Δ = 2.1 (unadjusted 3).
     * V_c,adj = (1 − 2·0.9·½ + 0.81·1)/3 = 0.91/3 (check: X − 0.9X₀ = {1, 2.1, 0.2}, variance 0.91);
     * V_t,adj = (4 − 2·0.9·4 + 0.81·4)/3 = 0.04/3 (X − 0.9X₀ = {3, 3.2, 3.4}, variance 0.04).
     * SE² = 0.95/3, unadjusted 5/3, reduction 1 − 0.95/5 = 0.81.
     * ν = (0.95/3)² / ((0.04/3)²/2 + (0.91/3)²/2) = 1.805/0.8297.
     * L = 4.55/2.45 − 1 = 6/7, SE_L² = (0.04/3)/2.45² + 4.55²·(0.91/3)/2.45⁴.
     */
    @Test
    void workedExample() {
        CovariateMoments control = rows(new double[][] {{1, 1, 0, 1}, {3, 1, 1, 1}, {2, 1, 2, 1}});
        CovariateMoments treatment = rows(new double[][] {{3, 1, 0, 1}, {5, 1, 2, 1}, {7, 1, 4, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertRelative(0.9, result.theta(), EXACT, "theta");
        assertRelative(1.5, result.pooledPreValue(), EXACT, "pooled pre value");
        assertTrue(result.warnings().isEmpty());
        RegressionAdjustment.AdjustedComparison only = result.comparisons().get(0);
        Comparison adjusted = only.adjusted();
        assertRelative(2.45, adjusted.controlMean(), EXACT, "control");
        assertRelative(4.55, adjusted.treatmentMean(), EXACT, "treatment");
        assertRelative(2.1, adjusted.absolute().estimate(), EXACT, "delta");
        assertRelative(Math.sqrt(0.95 / 3), adjusted.absolute().stdError(), EXACT, "SE");
        assertRelative(1.805 / 0.8297, adjusted.degreesOfFreedom(), EXACT, "nu");
        double quantile = 3.986586072828199; // scipy: stats.t.ppf(0.975, 1.805/0.8297)
        assertRelative(2.1 + quantile * Math.sqrt(0.95 / 3), adjusted.absolute().upper(), 1e-9, "upper");
        assertRelative(0.05691782433620027, adjusted.pValue(), 1e-9, "p"); // scipy: 2*stats.t.sf(2.1/sqrt(.95/3), ν)
        assertRelative(6.0 / 7.0, adjusted.relative().estimate(), EXACT, "L");
        double relativeVariance = (0.04 / 3) / (2.45 * 2.45) + 4.55 * 4.55 * (0.91 / 3) / Math.pow(2.45, 4);
        assertRelative(Math.sqrt(relativeVariance), adjusted.relative().stdError(), EXACT, "SE_L");
        assertRelative(0.81, only.varianceReduction(), EXACT, "variance reduction");
        assertRelative(3.0, only.unadjusted().absolute().estimate(), EXACT, "unadjusted delta");
        assertEquals("treatment", only.treatment());
    }

    /**
     * The worked example one-sided (INCREASE): the same Δ = 2.1, SE and ν; p = P(T_ν > 2.1/SE) is half
     * the two-sided 0.05691782433620027 (t is symmetric and Δ > 0); the lower bound uses t(0.95, ν).
     */
    @Test
    void workedExampleOneSided() {
        CovariateMoments control = rows(new double[][] {{1, 1, 0, 1}, {3, 1, 1, 1}, {2, 1, 2, 1}});
        CovariateMoments treatment = rows(new double[][] {{3, 1, 0, 1}, {5, 1, 2, 1}, {7, 1, 4, 1}});
        DeltaMethodComparison.Options options = DeltaMethodComparison.Options.of(0.05).withDirection(Direction.INCREASE);
        Comparison adjusted = RegressionAdjustment.compare(arms(control, treatment), "control", options)
                .comparisons().get(0).adjusted();
        assertRelative(2.1, adjusted.absolute().estimate(), EXACT, "delta");
        assertRelative(0.05691782433620027 / 2, adjusted.pValue(), 1e-9, "one-sided p");
        double quantile = Distributions.studentQuantile(0.95, 1.805 / 0.8297);
        assertRelative(2.1 - quantile * Math.sqrt(0.95 / 3), adjusted.absolute().lower(), EXACT, "lower");
        assertTrue(adjusted.absolute().upperUnbounded());
        // the two-sided interval at 2α has the same lower end
        Comparison twoSidedAtTwiceAlpha = RegressionAdjustment.compare(arms(control, treatment), "control", 0.10)
                .comparisons().get(0).adjusted();
        assertRelative(twoSidedAtTwiceAlpha.absolute().lower(), adjusted.absolute().lower(), EXACT, "lower = 2α bound");
    }

    /** Y ≡ 1 metric, no unit has pre-period data: X₀ ≡ 0, Y₀ ≡ 1, every cross covariance 0. */
    @Test
    void noPrePeriodDataForAMeanMetricIsNoAdjustment() {
        CovariateMoments control = rows(new double[][] {{1, 1, 0, 1}, {2, 1, 0, 1}, {3, 1, 0, 1}});
        CovariateMoments treatment = rows(new double[][] {{2, 1, 0, 1}, {4, 1, 0, 1}, {6, 1, 0, 1}, {8, 1, 0, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertEquals(0.0, result.theta());
        assertEquals(List.of("pre-period covariate has zero variance: no adjustment (theta = 0)"), result.warnings());
        RegressionAdjustment.AdjustedComparison only = result.comparisons().get(0);
        assertEquals(only.unadjusted(), only.adjusted());
        assertEquals(DeltaMethodComparison.compare(control.post(), treatment.post(), 0.05), only.adjusted());
        assertEquals(0.0, only.varianceReduction());
    }

    /** Ratio metric, no pre-period rows in the control: X₀ = Y₀ = 0 for all its units, so R₀ is undefined. */
    @Test
    void noPrePeriodDataForARatioMetricIsNoAdjustment() {
        CovariateMoments control = rows(new double[][] {{1, 2, 0, 0}, {2, 1, 0, 0}, {3, 3, 0, 0}});
        CovariateMoments treatment = rows(new double[][] {{2, 1, 1, 1}, {4, 2, 3, 2}, {6, 2, 5, 3}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertEquals(0.0, result.theta());
        assertEquals(List.of("control pre-period denominator sums to zero: no adjustment (theta = 0)"),
                result.warnings());
        assertEquals(result.comparisons().get(0).unadjusted(), result.comparisons().get(0).adjusted());
    }

    /** The pre-period value is 5 for every unit: s_z₀z₀ = 0 in both arms. */
    @Test
    void zeroVarianceCovariateIsNoAdjustment() {
        CovariateMoments control = rows(new double[][] {{1, 1, 5, 1}, {2, 1, 5, 1}, {4, 1, 5, 1}});
        CovariateMoments treatment = rows(new double[][] {{2, 1, 5, 1}, {4, 1, 5, 1}, {7, 1, 5, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertEquals(0.0, result.theta());
        assertEquals(List.of("pre-period covariate has zero variance: no adjustment (theta = 0)"), result.warnings());
        assertEquals(result.comparisons().get(0).unadjusted(), result.comparisons().get(0).adjusted());
    }

    /**
     * Control with 1 unit: it contributes nothing to θ (weight n − 1 = 0), θ comes from the treatment
     * alone (X = 2X₀ exactly, θ = 2); the comparison keeps the values and has no statistics, with the
     * delta method's warning. R̄₀ = (1·1 + 3·2)/4 = 7/4; R_c,adj = 3 − 2(1 − 7/4) = 4.5.
     */
    @Test
    void singleUnitControl() {
        CovariateMoments control = rows(new double[][] {{3, 1, 1, 1}});
        CovariateMoments treatment = rows(new double[][] {{2, 1, 1, 1}, {4, 1, 2, 1}, {6, 1, 3, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertRelative(2.0, result.theta(), EXACT, "theta");
        Comparison adjusted = result.comparisons().get(0).adjusted();
        assertRelative(4.5, adjusted.controlMean(), EXACT, "adjusted control");
        assertEquals(List.of("control has fewer than 2 units"), adjusted.warnings());
        assertEquals(null, adjusted.absolute().stdError());
        assertEquals(null, adjusted.pValue());
        assertEquals(null, result.comparisons().get(0).varianceReduction());
    }

    /** Every arm below 2 units: no spread to regress on. */
    @Test
    void fewerThanTwoUnitsEverywhere() {
        CovariateMoments control = rows(new double[][] {{3, 1, 1, 1}});
        CovariateMoments treatment = rows(new double[][] {{4, 1, 2, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertEquals(0.0, result.theta());
        assertEquals(List.of("pre-period covariate has zero variance: no adjustment (theta = 0)"), result.warnings());
        assertEquals(List.of("control has fewer than 2 units", "treatment has fewer than 2 units"),
                result.comparisons().get(0).adjusted().warnings());
    }

    /** A treatment whose analysis-period denominator is zero has no value; θ comes from the control alone. */
    @Test
    void zeroDenominatorInTheAnalysisPeriod() {
        CovariateMoments control = rows(new double[][] {{1, 1, 0, 1}, {3, 1, 1, 1}, {2, 1, 2, 1}});
        CovariateMoments treatment = rows(new double[][] {{0, 0, 1, 1}, {0, 0, 2, 1}});
        RegressionAdjustment.Result result = RegressionAdjustment.compare(arms(control, treatment), "control", 0.05);
        assertRelative(0.5, result.theta(), EXACT, "theta = cov/var of the control = (1/2)/1");
        Comparison adjusted = result.comparisons().get(0).adjusted();
        assertEquals(null, adjusted.treatmentMean());
        assertEquals(List.of("treatment denominator sums to zero"), adjusted.warnings());
    }

    @Test
    void invalidArgumentsThrow() {
        CovariateMoments control = rows(new double[][] {{1, 1, 0, 1}, {3, 1, 1, 1}, {2, 1, 2, 1}});
        Map<String, CovariateMoments> two = arms(control, control);
        assertThrows(IllegalArgumentException.class, () -> RegressionAdjustment.compare(two, "control", 0.0));
        assertThrows(IllegalArgumentException.class, () -> RegressionAdjustment.compare(two, "nope", 0.05));
        assertThrows(IllegalArgumentException.class,
                () -> RegressionAdjustment.compare(Map.of("control", control), "control", 0.05));
        // cov(X, X₀) = 10 with var X = var X₀ = 1 in the treatment: V_adj = (1 − 2θ·10 + θ²)/3 < 0 for θ ≈ 5.
        GroupMoments post = GroupMoments.ofUnitDenominator(3, 2, 1);
        CovariateMoments broken = new CovariateMoments(post, GroupMoments.ofUnitDenominator(3, 1, 1), 10, 0, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> RegressionAdjustment.compare(arms(control, broken), "control", 0.05));
    }

    /**
     * Properties over seeded random arms (each message starts with the seed): with every cross covariance
     * 0 the computed θ is exactly 0 and the adjusted comparison equals the plain delta-method comparison
     * field for field; swapping control and treatment flips Δ exactly and keeps SE, ν and the p-value.
     */
    @Test
    void properties() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            CovariateMoments a = randomArm(random, 2 + random.nextInt(60));
            CovariateMoments b = randomArm(random, 2 + random.nextInt(60));
            CovariateMoments a0 = new CovariateMoments(a.post(), a.pre(), 0, 0, 0, 0);
            CovariateMoments b0 = new CovariateMoments(b.post(), b.pre(), 0, 0, 0, 0);
            RegressionAdjustment.Result zero = RegressionAdjustment.compare(arms(a0, b0), "control", 0.05);
            assertEquals(0.0, zero.theta(), "seed=" + seed);
            assertEquals(DeltaMethodComparison.compare(a.post(), b.post(), 0.05), zero.comparisons().get(0).adjusted(),
                    "seed=" + seed);

            Comparison forward = RegressionAdjustment.compare(arms(a, b), "control", 0.05).comparisons().get(0).adjusted();
            Comparison backward = RegressionAdjustment.compare(arms(b, a), "control", 0.05).comparisons().get(0).adjusted();
            assertEquals(-forward.absolute().estimate(), backward.absolute().estimate(), "seed=" + seed);
            assertEquals(forward.absolute().stdError(), backward.absolute().stdError(), "seed=" + seed);
            assertEquals(forward.degreesOfFreedom(), backward.degreesOfFreedom(), "seed=" + seed);
            assertEquals(forward.pValue(), backward.pValue(), "seed=" + seed);
        }
    }

    /** Correlated per-unit rows: X₀ = level + noise, X = level + noise, Y and Y₀ counts ≥ 1. */
    private static CovariateMoments randomArm(SplittableRandom random, int n) {
        double[][] rows = new double[n][4];
        for (int i = 0; i < n; i++) {
            double level = 10 + 3 * random.nextGaussian();
            rows[i][1] = 1 + random.nextInt(5);
            rows[i][3] = 1 + random.nextInt(5);
            rows[i][0] = rows[i][1] * (level + random.nextGaussian());
            rows[i][2] = rows[i][3] * (level + random.nextGaussian());
        }
        return rows(rows);
    }
}
