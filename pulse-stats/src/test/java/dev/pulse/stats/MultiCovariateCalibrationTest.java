package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Simulations of {@link MultiCovariateAdjustment} (docs/regression-adjustment.md): coverage of the 95% interval with
 * many covariates and few units, with and without the small-sample factor; and the variance it removes beyond CUPED's
 * single covariate when other pre-period metrics predict the outcome.
 */
@Tag("slow")
class MultiCovariateCalibrationTest {

    /** Units of one arm: outcome X (Y ≡ 1, or a ratio over cluster sizes) and K covariates, effect 0. */
    private static JointMoments arm(Random random, int n, int covariates, boolean ratio, double effect) {
        int size = 1 + covariates;
        double[][] rows = new double[2 * size][n];
        for (int i = 0; i < n; i++) {
            double cluster = ratio ? 1 + random.nextInt(30) : 1.0;
            double outcome = 0.0;
            for (int k = 1; k < size; k++) {
                // every covariate predicts a little; the first two a lot
                double w = random.nextGaussian() + (random.nextDouble() < 0.1 ? 4 * random.nextDouble() : 0);
                rows[2 * k][i] = ratio ? w * cluster : w;
                rows[2 * k + 1][i] = ratio ? cluster : 1.0;
                outcome += (k <= 2 ? 1.5 : 0.3) * w;
            }
            double noise = random.nextGaussian() + (random.nextDouble() < 0.05 ? 5 * random.nextGaussian() : 0);
            double value = 10 + effect + outcome + noise;
            rows[0][i] = ratio ? value * cluster : value;
            rows[1][i] = ratio ? cluster : 1.0;
        }
        double[][] c = MultiCovariateAdjustmentTest.covariance(rows);
        List<GroupMoments> variables = new ArrayList<>();
        for (int v = 0; v < size; v++) {
            variables.add(new GroupMoments(n, MultiCovariateAdjustmentTest.mean(rows[2 * v]),
                    MultiCovariateAdjustmentTest.mean(rows[2 * v + 1]), c[2 * v][2 * v], c[2 * v + 1][2 * v + 1],
                    c[2 * v][2 * v + 1]));
        }
        JointMoments.Builder builder = JointMoments.builder(variables);
        for (int a = 0; a < size; a++) {
            for (int b = a + 1; b < size; b++) {
                builder.cross(a, b, c[2 * a][2 * b], c[2 * a][2 * b + 1], c[2 * a + 1][2 * b], c[2 * a + 1][2 * b + 1]);
            }
        }
        return builder.build();
    }

    private record Coverage(double withFactor, double withoutFactor, double meanUsed, double unadjusted) {}

    private static Coverage coverage(long seed, int n, int covariates, boolean ratio, int runs) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= covariates; k++) {
            names.add("w" + k);
        }
        int covered = 0;
        int coveredWithout = 0;
        int coveredPlain = 0;
        double used = 0;
        for (int run = 0; run < runs; run++) {
            Map<String, JointMoments> arms = new LinkedHashMap<>();
            arms.put("control", arm(random, n, covariates, ratio, 0.0));
            arms.put("treatment", arm(random, n, covariates, ratio, 0.0));
            MultiCovariateAdjustment.Result result = MultiCovariateAdjustment.compare(arms, "control",
                    DeltaMethodComparison.Options.of(0.05), names);
            Comparison c = result.comparisons().get(0).adjusted();
            used += result.used();
            Comparison plain = result.comparisons().get(0).unadjusted();
            if (plain.absolute().lower() <= 0 && 0 <= plain.absolute().upper()) {
                coveredPlain++;
            }
            if (c.absolute().lower() <= 0 && 0 <= c.absolute().upper()) {
                covered++;
            }
            // the same interval without the factor f: SE / √f, the t quantile unchanged (ν is scale-free)
            double half = (c.absolute().upper() - c.absolute().lower()) / 2 / Math.sqrt(result.varianceInflation());
            if (Math.abs(c.absolute().estimate()) <= half) {
                coveredWithout++;
            }
        }
        return new Coverage((double) covered / runs, (double) coveredWithout / runs, used / runs,
                (double) coveredPlain / runs);
    }

    /**
     * Y ≡ 1, the intervals of a null effect cover 0 in 95% of 4,000 experiments (±0.012, 3.5 standard errors) with
     * many covariates and few units: 30 units per arm and 5 covariates (Pulse uses 2: 20 residual degrees of freedom
     * each), 50 and 8 (4 used), 25 and 10 (2 used), 200 and 8 (all 8).
     */
    @Test
    void coverageWithManyCovariatesAndFewUnits() {
        for (int[] design : new int[][] {{30, 5, 2}, {50, 8, 4}, {25, 10, 2}, {200, 8, 8}}) {
            Coverage c = coverage(11 + design[0] * 31L + design[1], design[0], design[1], false, 4000);
            String what = design[0] + " units per arm, " + design[1] + " covariates: " + c;
            assertEquals(design[2], c.meanUsed(), 1e-12, what);
            assertTrue(Math.abs(c.withFactor() - 0.95) <= 0.012, what);
        }
    }

    /**
     * A ratio metric over clusters of 1 to 30: with few clusters the delta method's own interval is already a little
     * short; the adjusted interval stays within 1.5 points of the unadjusted one's coverage and above 0.93.
     */
    @Test
    void coverageOfARatioMetricWithFewClusters() {
        for (int[] design : new int[][] {{30, 5}, {50, 8}, {100, 8}, {200, 8}}) {
            Coverage c = coverage(17 + design[0] * 31L + design[1], design[0], design[1], true, 4000);
            String what = design[0] + " clusters per arm, " + design[1] + " covariates: " + c;
            assertTrue(c.withFactor() >= 0.93 && c.withFactor() >= c.unadjusted() - 0.015, what);
        }
    }

    /**
     * Where other pre-period metrics predict the outcome, they remove variance that the metric's own pre-period
     * cannot: the second covariate explains as much as the first, so with both the adjusted variance is well below
     * CUPED's with the first alone (by the share the second explains: about 1/3 of what the first leaves).
     */
    @Test
    void reducesVarianceBeyondOneCovariate() {
        Random random = new Random(5);
        double single = 0;
        double multi = 0;
        int runs = 400;
        for (int run = 0; run < runs; run++) {
            Map<String, JointMoments> arms = new LinkedHashMap<>();
            arms.put("control", arm(random, 1000, 4, false, 0.0));
            arms.put("treatment", arm(random, 1000, 4, false, 0.2));
            Map<String, JointMoments> own = new LinkedHashMap<>();
            arms.forEach((name, moments) -> own.put(name, firstCovariate(moments)));
            multi += Math.pow(MultiCovariateAdjustment.compare(arms, "control", DeltaMethodComparison.Options.of(0.05),
                    List.of("w1", "w2", "w3", "w4")).comparisons().get(0).adjusted().absolute().stdError(), 2);
            single += Math.pow(MultiCovariateAdjustment.compare(own, "control", DeltaMethodComparison.Options.of(0.05),
                    List.of("w1")).comparisons().get(0).adjusted().absolute().stdError(), 2);
        }
        // residual variance: one covariate leaves 1.5² + 3·0.3² of the covariates' part (plus the noise), all four
        // only the noise; here the ratio is about 0.45
        double ratio = multi / single;
        assertTrue(ratio < 0.6, "variance with 4 covariates / with 1: " + ratio);
    }

    private static JointMoments firstCovariate(JointMoments moments) {
        JointMoments.Builder builder = JointMoments.builder(List.of(moments.variable(0), moments.variable(1)));
        builder.cross(0, 1, moments.covariance(0, 2), moments.covariance(0, 3), moments.covariance(1, 2),
                moments.covariance(1, 3));
        return builder.build();
    }
}
