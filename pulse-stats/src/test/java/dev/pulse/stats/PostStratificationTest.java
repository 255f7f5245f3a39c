package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link PostStratification} against GrowthBook's published post-stratification expectations and
 * {@code reference/post_stratification_reference.json}, written by
 * {@code src/test/python/make_reference_post_stratification.py} (the estimator of Miratrix, Sekhon &amp; Yu 2013
 * with GrowthBook's variance, in numpy matrices, strata moments from raw per-unit rows). Estimates to 1e-9,
 * everything else to 1e-6 (relative).
 */
class PostStratificationTest {

    private static JsonNode reference() throws IOException {
        try (InputStream in = PostStratificationTest.class.getResourceAsStream(
                "/reference/post_stratification_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static GroupMoments moments(JsonNode node) {
        return new GroupMoments(node.get("n").asLong(), node.get("mean_x").asDouble(), node.get("mean_y").asDouble(),
                node.get("var_x").asDouble(), node.get("var_y").asDouble(), node.get("cov_xy").asDouble());
    }

    private static List<PostStratification.Stratum> strata(JsonNode node) {
        List<PostStratification.Stratum> strata = new ArrayList<>();
        for (JsonNode stratum : node) {
            strata.add(new PostStratification.Stratum(stratum.get("value").asText(), moments(stratum.get("control")),
                    moments(stratum.get("treatment"))));
        }
        return strata;
    }

    /**
     * growthbook/growthbook packages/stats/tests/frequentist/test_post_strat.py (commit 8f1db445),
     * TestPostStratification: {@code test_post_strat_count_effect_moments} (five strata of SampleMeanStatistic;
     * relative 0.10994584851937336 SE 0.012225394656480164, absolute 3.548094377986586 SE 0.37634374823059685)
     * and {@code test_post_strat_ratio_effect_moments} (five strata of RatioStatistic; relative
     * 0.13371299783026003 SE 0.007131233706378072, absolute 0.10008903417216031 SE 0.005071004003792392),
     * compared at GrowthBook's 5 decimals there and here to 1e-9 / 1e-6 of the published full-precision values.
     */
    @TestFactory
    Stream<DynamicTest> growthBookPublished() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("growthbook_published")) {
            tests.add(DynamicTest.dynamicTest(set.get("name").asText(), () -> {
                Comparison got = PostStratification.compare(strata(set.get("strata")), 0.05).comparison();
                JsonNode want = set.get("published");
                assertClose(want.get("absolute").asDouble(), got.absolute().estimate(), 1e-9, 0, "absolute");
                assertClose(want.get("relative").asDouble(), got.relative().estimate(), 1e-9, 0, "relative");
                assertClose(want.get("absolute_se").asDouble(), got.absolute().stdError(), 1e-6, 0, "absolute SE");
                assertClose(want.get("relative_se").asDouble(), got.relative().stdError(), 1e-6, 0, "relative SE");
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> pythonReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("sets")) {
            tests.add(DynamicTest.dynamicTest(set.get("name").asText(), () -> {
                PostStratification.Result result = PostStratification.compare(strata(set.get("strata")),
                        set.get("alpha").asDouble());
                Comparison got = result.comparison();
                JsonNode want = set.get("expected");
                assertEquals(3, result.strataUsed());
                assertTrue(got.warnings().isEmpty(), got.warnings().toString());
                assertClose(want.get("control_value").asDouble(), got.controlMean(), 1e-9, 0, "control value");
                assertClose(want.get("treatment_value").asDouble(), got.treatmentMean(), 1e-9, 0, "treatment value");
                assertClose(want.get("absolute").asDouble(), got.absolute().estimate(), 1e-9, 0, "absolute");
                assertClose(want.get("relative").asDouble(), got.relative().estimate(), 1e-9, 0, "relative");
                assertClose(want.get("absolute_se").asDouble(), got.absolute().stdError(), 1e-6, 0, "absolute SE");
                assertClose(want.get("relative_se").asDouble(), got.relative().stdError(), 1e-6, 0, "relative SE");
                assertClose(want.get("degrees_of_freedom").asDouble(), got.degreesOfFreedom(), 1e-6, 0, "dof");
                assertClose(want.get("absolute_ci").get(0).asDouble(), got.absolute().lower(), 1e-6, 0, "abs lower");
                assertClose(want.get("absolute_ci").get(1).asDouble(), got.absolute().upper(), 1e-6, 0, "abs upper");
                assertClose(want.get("relative_ci").get(0).asDouble(), got.relative().lower(), 1e-6, 0, "rel lower");
                assertClose(want.get("relative_ci").get(1).asDouble(), got.relative().upper(), 1e-6, 0, "rel upper");
                assertClose(want.get("p_value").asDouble(), got.pValue(), 1e-6, 1e-12, "p-value");
            }));
        }
        return tests.stream();
    }

    /** One stratum is the ordinary comparison; a stratum with a one-unit arm is merged into the largest. */
    @Test
    void oneStratumIsThePlainComparisonAndTinyStrataAreMerged() {
        GroupMoments control = GroupMoments.ofSums(50, 120, 400);
        GroupMoments treatment = GroupMoments.ofSums(55, 150, 520);
        PostStratification.Result single = PostStratification.compare(
                List.of(new PostStratification.Stratum("all", control, treatment)), 0.05);
        assertEquals(DeltaMethodComparison.compare(control, treatment, 0.05), single.comparison());
        PostStratification.Result merged = PostStratification.compare(List.of(
                new PostStratification.Stratum("big", control, treatment),
                new PostStratification.Stratum("tiny", GroupMoments.ofSums(1, 3, 9), GroupMoments.ofSums(4, 10, 30))), 0.05);
        assertEquals(1, merged.strataUsed());
        assertEquals(1, merged.mergedStrata());
        assertEquals(DeltaMethodComparison.compare(control.merge(GroupMoments.ofSums(1, 3, 9)),
                treatment.merge(GroupMoments.ofSums(4, 10, 30)), 0.05), merged.comparison());
        assertThrows(IllegalArgumentException.class, () -> PostStratification.compare(List.of(), 0.05));
    }

    /**
     * Calibration: three strata with very different levels (means 30, 10, 2; shares 0.5/0.3/0.2, drawn per
     * unit, so the shares are random as the variance assumes), 300 users per arm, true lift +5 % in every
     * stratum, 3000 replications: the post-stratified 95 % interval covers the true relative lift in
     * 0.95 ± 3·√(0.05·0.95/3000) = [0.938, 0.962] of replications (also the absolute lift), and its SE is the
     * unstratified SE times √(within-strata variance / total variance): exponential data, within
     * Σ w_s·level_s² = 0.5·900 + 0.3·100 + 0.2·4 = 480.8, between Σ w_s·level_s² − (Σ w_s·level_s)² =
     * 480.8 − 18.4² = 142.24, so √(480.8/623.04) = 0.878 (checked to ± 0.02). Observed (seed 20261207):
     * coverage relative 0.9447, absolute 0.9493; mean SE ratio 0.880.
     */
    @Test
    @Tag("slow")
    void coversAndNarrows() {
        long seed = 20261207L;
        SplittableRandom random = new SplittableRandom(seed);
        double[] levels = {30, 10, 2};
        double[] shares = {0.5, 0.3, 0.2};
        int replications = 3000;
        int coveredRelative = 0;
        int coveredAbsolute = 0;
        double ratioSum = 0;
        double trueControl = 0;
        for (int s = 0; s < 3; s++) {
            trueControl += shares[s] * levels[s];
        }
        for (int r = 0; r < replications; r++) {
            double[][][] sums = new double[3][2][3];
            for (int arm = 0; arm < 2; arm++) {
                for (int unit = 0; unit < 300; unit++) {
                    double u = random.nextDouble();
                    int s = u < shares[0] ? 0 : u < shares[0] + shares[1] ? 1 : 2;
                    double x = levels[s] * (arm == 1 ? 1.05 : 1.0) * random.nextExponential();
                    sums[s][arm][0] += 1;
                    sums[s][arm][1] += x;
                    sums[s][arm][2] += x * x;
                }
            }
            List<PostStratification.Stratum> strata = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                strata.add(new PostStratification.Stratum("s" + s,
                        GroupMoments.ofSums((long) sums[s][0][0], sums[s][0][1], sums[s][0][2]),
                        GroupMoments.ofSums((long) sums[s][1][0], sums[s][1][1], sums[s][1][2])));
            }
            Comparison got = PostStratification.compare(strata, 0.05).comparison();
            if (got.relative().lower() <= 0.05 && 0.05 <= got.relative().upper()) {
                coveredRelative++;
            }
            if (got.absolute().lower() <= 0.05 * trueControl && 0.05 * trueControl <= got.absolute().upper()) {
                coveredAbsolute++;
            }
            GroupMoments c = strata.get(0).control().merge(strata.get(1).control()).merge(strata.get(2).control());
            GroupMoments t = strata.get(0).treatment().merge(strata.get(1).treatment()).merge(strata.get(2).treatment());
            ratioSum += got.relative().stdError() / DeltaMethodComparison.compare(c, t, 0.05).relative().stdError();
        }
        double relative = (double) coveredRelative / replications;
        double absolute = (double) coveredAbsolute / replications;
        double ratio = ratioSum / replications;
        String summary = String.format("seed=%d: post-stratified coverage relative %.4f, absolute %.4f; mean SE ratio %.3f",
                seed, relative, absolute, ratio);
        System.out.println(summary);
        double bound = 3 * Math.sqrt(0.05 * 0.95 / replications);
        assertTrue(Math.abs(relative - 0.95) <= bound, summary);
        assertTrue(Math.abs(absolute - 0.95) <= bound, summary);
        assertTrue(Math.abs(ratio - 0.878) < 0.02, summary);
    }
}
