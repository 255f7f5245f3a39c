package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link AsymptoticConfidenceSequence} against GrowthBook's published test expectations and against
 * {@code reference/growthbook_cs_reference.json}, written by {@code src/test/python/make_reference_growthbook_cs.py}
 * from the formulas of Waudby-Smith et al. (arXiv:2103.06476v7, eq. (9), the choice of ρ, the mixture
 * e-value) on raw per-unit rows. Estimates to 1e-9 relative, everything else to 1e-6 relative.
 */
class AsymptoticConfidenceSequenceTest {

    private static final double ESTIMATE = 1e-9;
    private static final double STATISTIC = 1e-6;

    private static JsonNode reference() throws IOException {
        try (InputStream in = AsymptoticConfidenceSequenceTest.class.getResourceAsStream(
                "/reference/growthbook_cs_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * growthbook/growthbook packages/stats/tests/frequentist/test_tests.py (commit 8f1db445),
     * {@code TestSequentialTTest.test_sequential_test_runs}: SampleMeanStatistic(sum=1396.87,
     * sum_squares=52377.9767, n=3000) against (2422.7, 134698.29, 3461), sequential_tuning_parameter=1000,
     * relative: expected 0.50336, ci (-0.55844, 1.56516), stddev 0.33341, pValue 1 (5 decimals). Pulse's
     * delta-method comparison of the same sums (variance with divisor n − 1, as GrowthBook's sample mean).
     */
    @Test
    void matchesGrowthBookSampleMeanTest() {
        Comparison comparison = DeltaMethodComparison.compare(GroupMoments.ofSums(3000, 1396.87, 52377.9767),
                GroupMoments.ofSums(3461, 2422.7, 134698.29), 0.05);
        AlwaysValidInference.Result relative = AsymptoticConfidenceSequence.compare(comparison, 1000, 1, 0.05).relative();
        assertClose(0.50336, relative.interval().estimate(), 0, 0.5e-5, "estimate");
        assertClose(0.33341, relative.interval().stdError(), 0, 0.5e-5, "stddev");
        assertClose(-0.55844, relative.interval().lower(), 0, 0.5e-5, "lower");
        assertClose(1.56516, relative.interval().upper(), 0, 0.5e-5, "upper");
        assertEquals(1.0, relative.pValue());
    }

    /**
     * Same file, {@code test_sequential_test_runs_prop}: ProportionStatistic(1396, 3000) against
     * (2422, 3461), default N* = 5000: expected 0.50386, ci (0.40098, 0.60675), stddev 0.03386, pValue 0.0.
     * GrowthBook's proportion variance is p(1 − p) (divisor n), so the SE is formed here as GrowthBook does.
     */
    @Test
    void matchesGrowthBookProportionTest() {
        double pa = 1396.0 / 3000;
        double pb = 2422.0 / 3461;
        double lift = (pb - pa) / pa;
        double se = Math.sqrt(pb * (1 - pb) / 3461 / (pa * pa) + pb * pb * (pa * (1 - pa) / 3000) / Math.pow(pa, 4));
        AlwaysValidInference.Result result = AsymptoticConfidenceSequence.test(lift, se, 3000 + 3461,
                AsymptoticConfidenceSequence.DEFAULT_TUNING, 0.05);
        assertClose(0.50386, lift, 0, 0.5e-5, "estimate");
        assertClose(0.03386, se, 0, 0.5e-5, "stddev");
        assertClose(0.40098, result.interval().lower(), 0, 0.5e-5, "lower");
        assertClose(0.60675, result.interval().upper(), 0, 0.5e-5, "upper");
        assertClose(0.0, result.pValue(), 0, 0.5e-5, "p-value");
    }

    @TestFactory
    Stream<DynamicTest> referencePoints() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode point : reference().get("points")) {
            tests.add(DynamicTest.dynamicTest("point " + point, () -> {
                AlwaysValidInference.Result got = AsymptoticConfidenceSequence.test(point.get("estimate").asDouble(),
                        point.get("std_error").asDouble(), point.get("total_units").asLong(),
                        point.get("tuning").asDouble(), point.get("alpha").asDouble());
                check(point, got, "point");
                assertClose(point.get("rho").asDouble(), AsymptoticConfidenceSequence.rho(point.get("alpha").asDouble(),
                        point.get("tuning").asDouble()), STATISTIC, 0, "rho");
            }));
        }
        for (JsonNode published : reference().get("growthbook_published")) {
            JsonNode point = published.get("computed");
            tests.add(DynamicTest.dynamicTest("growthbook " + published.get("name").asText(), () -> check(point,
                    AsymptoticConfidenceSequence.test(point.get("estimate").asDouble(), point.get("std_error").asDouble(),
                            point.get("total_units").asLong(), point.get("tuning").asDouble(),
                            point.get("alpha").asDouble()), published.get("name").asText())));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> referenceLooks() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("looks")) {
            for (JsonNode look : set.get("looks")) {
                String name = set.get("name").asText() + " n=" + look.get("control").get("n").asLong();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    double alpha = set.get("alpha").asDouble();
                    Comparison comparison = DeltaMethodComparison.compare(moments(look.get("control")),
                            moments(look.get("treatment")), alpha);
                    AlwaysValidInference.SequentialComparison got = AsymptoticConfidenceSequence.compare(comparison,
                            set.get("tuning").asDouble(), AlwaysValidInference.MINIMUM_UNITS, alpha);
                    assertTrue(got.warnings().isEmpty(), got.warnings().toString());
                    check(look.get("absolute"), got.absolute(), name + " absolute");
                    check(look.get("relative"), got.relative(), name + " relative");
                }));
            }
        }
        return tests.stream();
    }

    private static GroupMoments moments(JsonNode node) {
        return new GroupMoments(node.get("n").asLong(), node.get("mean_x").asDouble(), node.get("mean_y").asDouble(),
                node.get("var_x").asDouble(), node.get("var_y").asDouble(), node.get("cov_xy").asDouble());
    }

    private static void check(JsonNode want, AlwaysValidInference.Result got, String name) {
        double se = want.get("std_error").asDouble();
        assertClose(want.get("estimate").asDouble(), got.interval().estimate(), ESTIMATE, 1e-12, name + " estimate");
        assertClose(se, got.interval().stdError(), STATISTIC, 0, name + " SE");
        assertClose(want.get("ci_lower").asDouble(), got.interval().lower(), STATISTIC, STATISTIC * se, name + " lower");
        assertClose(want.get("ci_upper").asDouble(), got.interval().upper(), STATISTIC, STATISTIC * se, name + " upper");
        assertClose(want.get("p_value").asDouble(), got.pValue(), STATISTIC, 1e-12, name + " p-value");
        assertClose(want.get("log_e_value").asDouble(), got.logLikelihoodRatio(), STATISTIC, 1e-12, name + " ln E");
        assertClose(want.get("tau").asDouble(), got.mixingStandardDeviation(), STATISTIC, 0, name + " tau");
        assertEquals(want.get("p_value").asDouble() < want.get("alpha").asDouble(), got.significant(), name);
    }

    /**
     * Hand-derived: at α = 0.05, −2 ln α = 5.99146, ρ² = (5.99146 + ln 6.99146)/N* = 7.93615/N*; at
     * t = N* (k = tρ² = 7.93615) the half-width is SE·√(2·8.93615/7.93615·ln(√8.93615/0.05)) =
     * SE·√(2.25201·4.09077) = 3.03521·SE. In units of σ̂/√t (σ̂ fixed, SE = σ̂/√t) the CS is tightest near
     * t = N* (Waudby-Smith et al., the choice of ρ): the closed-form ρ minimizes an approximation of the
     * width, the exact minimum is 3.03512 at t ≈ 5170 (a grid search of the same expression).
     */
    @Test
    void tightestAtTheTuningSampleSize() {
        double tuning = 5000;
        double rho = AsymptoticConfidenceSequence.rho(0.05, tuning);
        assertClose(Math.sqrt((-2 * Math.log(0.05) + Math.log(1 - 2 * Math.log(0.05))) / tuning), rho, 1e-15, 0, "rho");
        double atTuning = scaledHalfWidth(5000, tuning);
        assertClose(3.03521, atTuning, 0, 1e-5, "half-width at t = N*");
        for (long t : new long[] {2500, 4000, 4500, 6500, 7000, 10000}) {
            assertTrue(scaledHalfWidth(t, tuning) > atTuning, "t=" + t);
        }
    }

    /** Half-width in units of σ̂/√t, σ̂ = 1. */
    private static double scaledHalfWidth(long t, double tuning) {
        double se = 1.0 / Math.sqrt(t);
        return AsymptoticConfidenceSequence.test(0.0, se, t, tuning, 0.05).interval().upper() / se;
    }

    /** The CS is the mSPRT with τ = ρσ̂ = ρ·SE·√t (class comment): same interval and p-value. */
    @Test
    void equalsTheMixtureSprtWithTauRhoSigma() {
        double se = 0.013;
        long t = 12345;
        double tau = AsymptoticConfidenceSequence.rho(0.1, 3000) * se * Math.sqrt(t);
        AlwaysValidInference.Result sprt = AlwaysValidInference.test(0.04, se, tau, 0.1);
        AlwaysValidInference.Result cs = AsymptoticConfidenceSequence.test(0.04, se, t, 3000, 0.1);
        assertClose(sprt.interval().lower(), cs.interval().lower(), 1e-14, 0, "lower");
        assertClose(sprt.pValue(), cs.pValue(), 1e-14, 0, "p");
    }

    @Test
    void undefinedCasesGiveNullsWithWarnings() {
        Comparison small = DeltaMethodComparison.compare(GroupMoments.ofSums(50, 100, 400), GroupMoments.ofSums(60, 130, 500),
                0.05);
        AlwaysValidInference.SequentialComparison result = AsymptoticConfidenceSequence.compare(small, 5000, 100, 0.05);
        assertNull(result.relative().interval().lower());
        assertNull(result.absolute().pValue());
        assertFalse(result.absolute().significant());
        assertEquals(List.of("fewer than 100 units in an arm: no confidence sequence"), result.warnings());
        Comparison flat = DeltaMethodComparison.compare(GroupMoments.ofSums(200, 200, 200), GroupMoments.ofSums(200, 200, 200),
                0.05);
        AlwaysValidInference.SequentialComparison none = AsymptoticConfidenceSequence.compare(flat, 5000, 100, 0.05);
        assertNull(none.absolute().pValue());
        assertTrue(none.warnings().contains("absolute lift: no positive standard error, no confidence sequence"),
                none.warnings().toString());
        assertThrows(IllegalArgumentException.class, () -> AsymptoticConfidenceSequence.rho(0.05, 0));
        assertThrows(IllegalArgumentException.class, () -> AsymptoticConfidenceSequence.rho(1.0, 5000));
        assertThrows(IllegalArgumentException.class, () -> AsymptoticConfidenceSequence.test(0, 1, 0, 5000, 0.05));
        assertThrows(IllegalArgumentException.class, () -> AsymptoticConfidenceSequence.compare(small, 5000, 0, 0.05));
    }
}
