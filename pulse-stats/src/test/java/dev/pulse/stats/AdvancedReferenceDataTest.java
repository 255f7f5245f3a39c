package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static dev.pulse.stats.Tolerance.assertRelative;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks against numbers computed outside Pulse: {@code reference/cuped_sequential_reference.json} was written by
 * {@code src/test/python/make_reference_cuped_sequential.py} (numpy 2.4.6 + scipy 1.17.1; the command and
 * versions are at the top of the script and under "generator" in the JSON). CUPED figures there come
 * from the raw per-unit rows (explicit per-unit linearization, θ by least squares with one intercept per
 * arm, variance of the adjusted per-unit values); the mSPRT and Bayesian figures from their closed forms,
 * each cross-checked in the script by numerical integration.
 *
 * <p>Tolerances: θ, values and Δ to 1e-9 relative (Δ with an absolute floor of 1e-9 × the control value);
 * SE, ν, interval ends, p-values, probabilities and variance reductions to 1e-6 relative (interval ends
 * with an absolute floor of 1e-6 × the SE, p-values of 1e-12).
 */
class AdvancedReferenceDataTest {

    private static final double ESTIMATE = 1e-9;
    private static final double STATISTIC = 1e-6;

    private static JsonNode reference() throws IOException {
        try (InputStream in = AdvancedReferenceDataTest.class.getResourceAsStream("/reference/cuped_sequential_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static GroupMoments moments(JsonNode node) {
        return new GroupMoments(node.get("n").asLong(), node.get("mean_x").asDouble(), node.get("mean_y").asDouble(),
                node.get("var_x").asDouble(), node.get("var_y").asDouble(), node.get("cov_xy").asDouble());
    }

    private static CovariateMoments covariateMoments(JsonNode node) {
        return new CovariateMoments(moments(node.get("post")), moments(node.get("pre")), node.get("cov_xx0").asDouble(),
                node.get("cov_xy0").asDouble(), node.get("cov_yx0").asDouble(), node.get("cov_yy0").asDouble());
    }

    @TestFactory
    Stream<DynamicTest> cuped() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("cuped")) {
            tests.add(DynamicTest.dynamicTest("cuped " + set.get("name").asText(), () -> checkCuped(set)));
        }
        return tests.stream();
    }

    private static void checkCuped(JsonNode set) {
        Map<String, CovariateMoments> groups = new LinkedHashMap<>();
        for (JsonNode group : set.get("groups")) {
            groups.put(group.get("name").asText(), covariateMoments(group));
        }
        String name = set.get("name").asText() + " ";
        JsonNode expected = set.get("expected");
        RegressionAdjustment.Result result = RegressionAdjustment.compare(groups, set.get("control").asText(),
                set.get("alpha").asDouble());
        assertTrue(result.warnings().isEmpty(), name + result.warnings());
        assertRelative(expected.get("theta").asDouble(), result.theta(), ESTIMATE, name + "theta");
        assertRelative(expected.get("pooled_pre_value").asDouble(), result.pooledPreValue(), ESTIMATE,
                name + "pooled pre value");
        JsonNode comparisons = expected.get("comparisons");
        assertEquals(comparisons.size(), result.comparisons().size());
        for (int i = 0; i < comparisons.size(); i++) {
            JsonNode want = comparisons.get(i);
            RegressionAdjustment.AdjustedComparison got = result.comparisons().get(i);
            String what = name + want.get("group").asText() + " ";
            assertEquals(want.get("group").asText(), got.treatment());
            Comparison adjusted = got.adjusted();
            assertTrue(adjusted.warnings().isEmpty(), what + adjusted.warnings());
            double valueScale = Math.abs(want.get("control_mean").asDouble());
            assertRelative(want.get("control_mean").asDouble(), adjusted.controlMean(), ESTIMATE, what + "control");
            assertRelative(want.get("treatment_mean").asDouble(), adjusted.treatmentMean(), ESTIMATE, what + "treatment");
            checkInterval(want.get("absolute"), adjusted.absolute(), valueScale, what + "absolute ");
            checkInterval(want.get("relative"), adjusted.relative(), 1.0, what + "relative ");
            assertRelative(want.get("degrees_of_freedom").asDouble(), adjusted.degreesOfFreedom(), STATISTIC, what + "nu");
            assertClose(want.get("p_value").asDouble(), adjusted.pValue(), STATISTIC, 1e-12, what + "p");
            assertEquals(want.get("significant").asBoolean(), adjusted.significant(), what + "significant");
            assertRelative(want.get("variance_reduction").asDouble(), got.varianceReduction(), STATISTIC,
                    what + "variance reduction");
            // The unadjusted comparison is the plain delta method on the post-period moments.
            JsonNode unadjustedControl = expected.get("groups").get(set.get("control").asText());
            assertRelative(unadjustedControl.get("unadjusted_value").asDouble(), got.unadjusted().controlMean(),
                    ESTIMATE, what + "unadjusted control");
        }
    }

    private static void checkInterval(JsonNode expected, Interval actual, double valueScale, String what) {
        double standardError = expected.get("std_error").asDouble();
        assertClose(expected.get("estimate").asDouble(), actual.estimate(), ESTIMATE, ESTIMATE * valueScale,
                what + "estimate");
        assertRelative(standardError, actual.stdError(), STATISTIC, what + "std error");
        assertClose(expected.get("ci_lower").asDouble(), actual.lower(), STATISTIC, STATISTIC * standardError,
                what + "ci lower");
        assertClose(expected.get("ci_upper").asDouble(), actual.upper(), STATISTIC, STATISTIC * standardError,
                what + "ci upper");
    }

    @TestFactory
    Stream<DynamicTest> msprtPoints() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode point : reference().get("msprt_points")) {
            tests.add(DynamicTest.dynamicTest("msprt " + point.get("estimate") + " / " + point.get("std_error"), () -> {
                AlwaysValidInference.Result result = AlwaysValidInference.test(point.get("estimate").asDouble(),
                        point.get("std_error").asDouble(), point.get("tau").asDouble(), point.get("alpha").asDouble());
                checkAlwaysValid(point, result, "msprt ");
                assertEquals(point.get("p_value").asDouble() < point.get("alpha").asDouble(), result.significant());
            }));
        }
        return tests.stream();
    }

    private static void checkAlwaysValid(JsonNode expected, AlwaysValidInference.Result actual, String what) {
        double standardError = expected.get("std_error").asDouble();
        assertClose(expected.get("log_likelihood_ratio").asDouble(), actual.logLikelihoodRatio(), STATISTIC, 1e-12,
                what + "log likelihood ratio");
        assertClose(expected.get("p_value").asDouble(), actual.pValue(), STATISTIC, 1e-12, what + "p-value");
        assertClose(expected.get("ci_lower").asDouble(), actual.interval().lower(), STATISTIC,
                STATISTIC * standardError, what + "lower");
        assertClose(expected.get("ci_upper").asDouble(), actual.interval().upper(), STATISTIC,
                STATISTIC * standardError, what + "upper");
    }

    /** Five cumulative looks; the first (80 units per arm) is below the minimum and has no figures. */
    @TestFactory
    Stream<DynamicTest> msprtLooks() throws IOException {
        JsonNode series = reference().get("msprt_looks");
        double alpha = series.get("alpha").asDouble();
        List<Comparison> looks = new ArrayList<>();
        for (JsonNode look : series.get("looks")) {
            looks.add(DeltaMethodComparison.compare(moments(look.get("control")), moments(look.get("treatment")), alpha));
        }
        List<AlwaysValidInference.SequentialComparison> results = AlwaysValidInference.compareLooks(looks,
                series.get("mixing_fraction").asDouble(), alpha);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < looks.size(); i++) {
            JsonNode look = series.get("looks").get(i);
            AlwaysValidInference.SequentialComparison result = results.get(i);
            String what = "look " + i + " ";
            tests.add(DynamicTest.dynamicTest(what, () -> {
                if (!look.has("absolute")) {
                    assertNull(result.absolute().pValue());
                    assertNull(result.absolute().interval().lower());
                    assertNull(result.relative().interval().upper());
                    assertEquals(List.of("fewer than 100 units in an arm: no always-valid interval"), result.warnings());
                    return;
                }
                assertTrue(result.warnings().isEmpty(), result.warnings().toString());
                for (String part : List.of("absolute", "relative")) {
                    JsonNode want = look.get(part);
                    AlwaysValidInference.Result got = part.equals("absolute") ? result.absolute() : result.relative();
                    assertRelative(want.get("tau").asDouble(), got.mixingStandardDeviation(), ESTIMATE, what + part + " tau");
                    assertRelative(want.get("std_error").asDouble(), got.interval().stdError(), STATISTIC,
                            what + part + " SE");
                    checkAlwaysValid(want, got, what + part + " ");
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> bayesian() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode point : reference().get("bayesian_points")) {
            tests.add(DynamicTest.dynamicTest("bayes " + point.get("estimate") + " prior sd " + point.get("prior_sd"), () -> {
                BayesianSummary.NormalPrior prior = point.get("prior_sd").isNull()
                        ? BayesianSummary.NormalPrior.FLAT
                        : new BayesianSummary.NormalPrior(point.get("prior_mean").asDouble(), point.get("prior_sd").asDouble());
                BayesianSummary.Result result = BayesianSummary.summarize(point.get("estimate").asDouble(),
                        point.get("std_error").asDouble(), prior, point.get("alpha").asDouble());
                double sd = point.get("posterior_sd").asDouble();
                assertRelative(point.get("posterior_mean").asDouble(), result.posterior().estimate(), ESTIMATE, "mean");
                assertRelative(sd, result.posterior().stdError(), STATISTIC, "sd");
                assertClose(point.get("ci_lower").asDouble(), result.posterior().lower(), STATISTIC, STATISTIC * sd, "lower");
                assertClose(point.get("ci_upper").asDouble(), result.posterior().upper(), STATISTIC, STATISTIC * sd, "upper");
                assertClose(point.get("chance_to_beat_control").asDouble(), result.chanceToBeatControl(), STATISTIC, 1e-12,
                        "chance to beat control");
                assertClose(point.get("expected_loss_treatment").asDouble(), result.expectedLossTreatment(), STATISTIC,
                        1e-12 * sd, "expected loss treatment");
                assertClose(point.get("expected_loss_control").asDouble(), result.expectedLossControl(), STATISTIC,
                        1e-12 * sd, "expected loss control");
                assertTrue(result.warnings().isEmpty());
            }));
        }
        return tests.stream();
    }
}
