package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Bayesian summary worked by hand. Φ⁻¹(0.975) = 1.959963984540054 and 1/√(2π) are from scipy 1.17.1
 * ({@code stats.norm.ppf(0.975)}); figures depending on them are checked to 1e-12, rational ones to 1e-14.
 */
class BayesianSummaryTest {

    private static final double Z = 1.959963984540054; // scipy: stats.norm.ppf(0.975)

    /** Flat prior: posterior N(L̂, SE²), so the credible interval is the normal confidence interval L̂ ± z·SE. */
    @Test
    void flatPriorGivesTheNormalConfidenceInterval() {
        BayesianSummary.Result result = BayesianSummary.summarize(0.05, 0.02, BayesianSummary.NormalPrior.FLAT, 0.05);
        assertEquals(0.05, result.posterior().estimate());
        assertEquals(0.02, result.posterior().stdError());
        assertRelative(0.05 - Z * 0.02, result.posterior().lower(), 1e-12, "lower");
        assertRelative(0.05 + Z * 0.02, result.posterior().upper(), 1e-12, "upper");
        assertEquals(List.of(), result.warnings());
    }

    /**
     * L̂ = 0, SE = 0.1, flat prior: m = 0, so P(L > 0) = ½ and both expected losses are s·φ(0) = 0.1/√(2π).
     */
    @Test
    void centredPosterior() {
        BayesianSummary.Result result = BayesianSummary.summarize(0.0, 0.1, BayesianSummary.NormalPrior.FLAT, 0.05);
        assertEquals(0.5, result.chanceToBeatControl(), 1e-15);
        assertRelative(0.1 / Math.sqrt(2 * Math.PI), result.expectedLossTreatment(), 1e-14, "loss treatment");
        assertRelative(0.1 / Math.sqrt(2 * Math.PI), result.expectedLossControl(), 1e-14, "loss control");
    }

    /**
     * Prior N(0, 0.3²) and SE = 0.3: equal precisions, so m = L̂/2 and s = 0.3/√2. The two losses differ by
     * the posterior mean: E[max(0, L)] − E[max(0, −L)] = m.
     */
    @Test
    void equalPrecisionsHalveTheEstimate() {
        BayesianSummary.Result result = BayesianSummary.summarize(0.2, 0.3, BayesianSummary.NormalPrior.DEFAULT, 0.05);
        assertRelative(0.1, result.posterior().estimate(), 1e-14, "m");
        assertRelative(0.3 / Math.sqrt(2.0), result.posterior().stdError(), 1e-14, "s");
        assertRelative(0.1, result.expectedLossControl() - result.expectedLossTreatment(), 1e-12, "loss difference");
    }

    /** Mirror image: L̂ → −L̂ swaps the chances and the two losses. */
    @Test
    void mirrorSymmetry() {
        BayesianSummary.Result up = BayesianSummary.summarize(0.03, 0.02, BayesianSummary.NormalPrior.DEFAULT, 0.05);
        BayesianSummary.Result down = BayesianSummary.summarize(-0.03, 0.02, BayesianSummary.NormalPrior.DEFAULT, 0.05);
        assertRelative(1.0 - up.chanceToBeatControl(), down.chanceToBeatControl(), 1e-12, "chance");
        assertRelative(up.expectedLossTreatment(), down.expectedLossControl(), 1e-14, "losses");
    }

    @Test
    void comparisonWithoutRelativeLiftHasNoPosterior() {
        Comparison zeroControl = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(10, 0, 1),
                GroupMoments.ofUnitDenominator(10, 1, 1), 0.05);
        BayesianSummary.Result result = BayesianSummary.summarize(zeroControl, BayesianSummary.NormalPrior.DEFAULT, 0.05);
        assertEquals(List.of("no relative lift: no posterior"), result.warnings());
        assertNull(result.posterior().estimate());
        assertNull(result.chanceToBeatControl());

        Comparison singleUnits = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(1, 1, 0),
                GroupMoments.ofUnitDenominator(1, 2, 0), 0.05);
        assertEquals(List.of("relative lift has no positive standard error: no posterior"),
                BayesianSummary.summarize(singleUnits, BayesianSummary.NormalPrior.FLAT, 0.05).warnings());
    }

    /** A comparison's relative lift goes through unchanged: same figures as the direct call. */
    @Test
    void comparisonUsesTheRelativeLift() {
        Comparison comparison = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(100, 10, 4),
                GroupMoments.ofUnitDenominator(100, 11, 4), 0.05);
        BayesianSummary.Result result = BayesianSummary.summarize(comparison, BayesianSummary.NormalPrior.FLAT, 0.05);
        assertEquals(BayesianSummary.summarize(comparison.relative().estimate(), comparison.relative().stdError(),
                BayesianSummary.NormalPrior.FLAT, 0.05), result);
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new BayesianSummary.NormalPrior(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BayesianSummary.NormalPrior(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class,
                () -> BayesianSummary.summarize(0.1, 0.0, BayesianSummary.NormalPrior.FLAT, 0.05));
        assertThrows(IllegalArgumentException.class,
                () -> BayesianSummary.summarize(0.1, 0.1, BayesianSummary.NormalPrior.FLAT, 0.0));
    }
}
