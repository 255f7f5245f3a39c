package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link MultiCovariateAdjustment} against {@code make_reference_multi_covariate.py} (numbers from raw per-unit
 * rows with numpy's least squares; see the script), and against {@link RegressionAdjustment} with one covariate.
 * Tolerances: estimates (θ, adjusted values, Δ, lift) 1e-9 relative; standard errors, interval ends, degrees of
 * freedom and p-values 1e-6.
 */
class MultiCovariateAdjustmentTest {

    private static final double ESTIMATE = 1e-9;
    private static final double STATISTIC = 1e-6;

    private static JsonNode reference() throws IOException {
        try (InputStream in = MultiCovariateAdjustmentTest.class.getResourceAsStream(
                "/reference/multi_covariate_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** An arm's joint moments from the reference's means and covariance matrix of every component. */
    static JointMoments arm(JsonNode arm) {
        long n = arm.get("n").asLong();
        JsonNode c = arm.get("covariances");
        List<GroupMoments> variables = new ArrayList<>();
        JsonNode list = arm.get("variables");
        for (int v = 0; v < list.size(); v++) {
            JsonNode variable = list.get(v);
            variables.add(new GroupMoments(n, variable.get("mean_x").asDouble(), variable.get("mean_y").asDouble(),
                    c.get(2 * v).get(2 * v).asDouble(), c.get(2 * v + 1).get(2 * v + 1).asDouble(),
                    c.get(2 * v).get(2 * v + 1).asDouble()));
        }
        JointMoments.Builder builder = JointMoments.builder(variables);
        for (int a = 0; a < list.size(); a++) {
            for (int b = a + 1; b < list.size(); b++) {
                builder.cross(a, b, c.get(2 * a).get(2 * b).asDouble(), c.get(2 * a).get(2 * b + 1).asDouble(),
                        c.get(2 * a + 1).get(2 * b).asDouble(), c.get(2 * a + 1).get(2 * b + 1).asDouble());
            }
        }
        return builder.build();
    }

    @TestFactory
    Stream<DynamicTest> matchesTheLeastSquaresFitOnRawRows() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("cases")) {
            tests.add(DynamicTest.dynamicTest(set.get("name").asText(), () -> check(set)));
        }
        return tests.stream();
    }

    private static void check(JsonNode set) {
        Map<String, JointMoments> arms = new LinkedHashMap<>();
        set.get("arms").forEach(arm -> arms.put(arm.get("name").asText(), arm(arm)));
        List<String> names = new ArrayList<>();
        set.get("covariates").forEach(name -> names.add(name.asText()));
        MultiCovariateAdjustment.Result result = MultiCovariateAdjustment.compare(arms, set.get("control").asText(),
                DeltaMethodComparison.Options.of(set.get("alpha").asDouble()), names);
        JsonNode expected = set.get("expected");
        String what = set.get("name").asText();
        for (int k = 0; k < names.size(); k++) {
            JsonNode coefficient = expected.get("coefficients").get(k);
            if (coefficient.isNull()) {
                assertNull(result.coefficients().get(k), what + " " + names.get(k) + " should not be used");
            } else {
                assertClose(coefficient.asDouble(), result.coefficients().get(k), ESTIMATE, 1e-12,
                        what + " theta " + names.get(k));
            }
        }
        assertClose(expected.get("variance_inflation").asDouble(), result.varianceInflation(), 1e-12, 0, what + " f");
        assertEquals(expected.get("comparisons").size(), result.comparisons().size());
        for (int i = 0; i < result.comparisons().size(); i++) {
            JsonNode e = expected.get("comparisons").get(i);
            RegressionAdjustment.AdjustedComparison actual = result.comparisons().get(i);
            String label = what + " " + e.get("group").asText();
            assertEquals(e.get("group").asText(), actual.treatment());
            Comparison c = actual.adjusted();
            assertClose(e.get("control_mean").asDouble(), c.controlMean(), ESTIMATE, 0, label + " control value");
            assertClose(e.get("treatment_mean").asDouble(), c.treatmentMean(), ESTIMATE, 0, label + " treatment value");
            interval(e.get("absolute"), c.absolute(), label + " absolute");
            interval(e.get("relative"), c.relative(), label + " relative");
            assertClose(e.get("degrees_of_freedom").asDouble(), c.degreesOfFreedom(), STATISTIC, 0, label + " df");
            assertClose(e.get("p_value").asDouble(), c.pValue(), STATISTIC, 1e-15, label + " p");
            assertClose(e.get("variance_reduction").asDouble(), actual.varianceReduction(), STATISTIC, 1e-9,
                    label + " variance reduction");
        }
    }

    private static void interval(JsonNode expected, Interval actual, String what) {
        double se = expected.get("std_error").asDouble();
        assertClose(expected.get("estimate").asDouble(), actual.estimate(), ESTIMATE, 1e-12 * se, what + " estimate");
        assertClose(se, actual.stdError(), STATISTIC, 0, what + " SE");
        assertClose(expected.get("ci_lower").asDouble(), actual.lower(), STATISTIC, 1e-6 * se, what + " lower");
        assertClose(expected.get("ci_upper").asDouble(), actual.upper(), STATISTIC, 1e-6 * se, what + " upper");
    }

    /**
     * With one covariate, its own pre-period, the estimate is CUPED's ({@link RegressionAdjustment}) and the variance
     * CUPED's times {@code (N − G)/(N − G − 1)}: the same fit, with the small-sample factor.
     */
    @Test
    void oneOwnCovariateIsCupedWithTheSmallSampleFactor() {
        Random random = new Random(7);
        Map<String, CovariateMoments> single = new LinkedHashMap<>();
        Map<String, JointMoments> joint = new LinkedHashMap<>();
        long units = 0;
        for (String arm : List.of("control", "treatment")) {
            int n = 400 + random.nextInt(50);
            units += n;
            double[][] rows = new double[4][n];
            for (int i = 0; i < n; i++) {
                double size = 1 + random.nextInt(20);
                double level = Math.exp(0.5 * random.nextGaussian());
                rows[0][i] = level * size * (1 + 0.3 * random.nextGaussian());
                rows[1][i] = size;
                rows[3][i] = Math.max(0, size - random.nextInt(3));
                rows[2][i] = level * rows[3][i] * (1 + 0.3 * random.nextGaussian());
            }
            double[][] c = covariance(rows);
            GroupMoments post = new GroupMoments(n, mean(rows[0]), mean(rows[1]), c[0][0], c[1][1], c[0][1]);
            GroupMoments pre = new GroupMoments(n, mean(rows[2]), mean(rows[3]), c[2][2], c[3][3], c[2][3]);
            single.put(arm, new CovariateMoments(post, pre, c[0][2], c[0][3], c[1][2], c[1][3]));
            joint.put(arm, JointMoments.builder(List.of(post, pre)).cross(0, 1, c[0][2], c[0][3], c[1][2], c[1][3]).build());
        }
        RegressionAdjustment.Result cuped = RegressionAdjustment.compare(single, "control", 0.05);
        MultiCovariateAdjustment.Result multi = MultiCovariateAdjustment.compare(joint, "control",
                DeltaMethodComparison.Options.of(0.05), List.of("own"));
        assertClose(cuped.theta(), multi.coefficients().get(0), 1e-12, 0, "theta");
        Comparison one = cuped.comparisons().get(0).adjusted();
        Comparison many = multi.comparisons().get(0).adjusted();
        assertClose(one.absolute().estimate(), many.absolute().estimate(), 1e-12, 0, "difference");
        // the variance: CUPED's times f, plus θ's estimation error along the arms' pre-period difference, a term of
        // order 1/N of the rest (positive, and here below 1% of it)
        double factor = (units - 2.0) / (units - 3.0);
        double cupedVariance = Math.pow(one.absolute().stdError(), 2) * factor;
        double variance = Math.pow(many.absolute().stdError(), 2);
        assertTrue(variance > cupedVariance && variance < 1.01 * cupedVariance, variance + " vs " + cupedVariance);
    }

    @Test
    void aConstantCovariateIsDroppedAndNothingIsAdjustedWithoutCovariates() {
        Map<String, JointMoments> arms = new LinkedHashMap<>();
        arms.put("control", JointMoments.builder(List.of(GroupMoments.ofUnitDenominator(100, 10, 4),
                GroupMoments.ofUnitDenominator(100, 3, 0))).build());
        arms.put("treatment", JointMoments.builder(List.of(GroupMoments.ofUnitDenominator(100, 11, 4),
                GroupMoments.ofUnitDenominator(100, 3, 0))).build());
        MultiCovariateAdjustment.Result result = MultiCovariateAdjustment.compare(arms, "control",
                DeltaMethodComparison.Options.of(0.05), List.of("constant"));
        assertNull(result.coefficients().get(0));
        assertEquals(0, result.used());
        assertTrue(result.warnings().get(0).contains("constant has no variance"), result.warnings().toString());
        RegressionAdjustment.AdjustedComparison comparison = result.comparisons().get(0);
        assertEquals(comparison.unadjusted(), comparison.adjusted());
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    static double[][] covariance(double[][] rows) {
        int k = rows.length;
        int n = rows[0].length;
        double[] means = new double[k];
        for (int i = 0; i < k; i++) {
            means[i] = mean(rows[i]);
        }
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double sum = 0;
                for (int u = 0; u < n; u++) {
                    sum += (rows[i][u] - means[i]) * (rows[j][u] - means[j]);
                }
                c[i][j] = sum / (n - 1);
            }
        }
        return c;
    }
}
