package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mSPRT worked by hand (closed forms in the comments, checked to 1e-14 relative) and its undefined cases. */
class AlwaysValidInferenceTest {

    private static final double EXACT = 1e-14;

    /**
     * Δ̂ = 2, SE = 1, τ = 1, α = 0.05: V = 1, V + τ² = 2, so Λ = √(1/2)·exp(4·1/(2·1·2)) = e/√2,
     * ln Λ = 1 − ln(2)/2, p = √2/e; half-width² = (1·2/1)·(−2 ln 0.05 − ln ½) = 2 ln 800.
     */
    @Test
    void workedPoint() {
        AlwaysValidInference.Result result = AlwaysValidInference.test(2.0, 1.0, 1.0, 0.05);
        assertRelative(1.0 - Math.log(2.0) / 2.0, result.logLikelihoodRatio(), EXACT, "ln Lambda");
        assertRelative(Math.sqrt(2.0) / Math.E, result.pValue(), EXACT, "p");
        assertRelative(2.0 - Math.sqrt(2.0 * Math.log(800.0)), result.interval().lower(), EXACT, "lower");
        assertRelative(2.0 + Math.sqrt(2.0 * Math.log(800.0)), result.interval().upper(), EXACT, "upper");
        assertFalse(result.significant());
        assertEquals(1.0, result.mixingStandardDeviation());
    }

    /**
     * On the interval's edge Λ = 1/α: with Δ̂ = √(2 ln 800), SE = τ = 1,
     * Λ = (1/√2)·exp(2 ln 800/4) = √800/√2 = 20, so p = 0.05 and the lower end is exactly 0.
     */
    @Test
    void intervalEdgeIsWhereTheLikelihoodRatioReachesOneOverAlpha() {
        double edge = Math.sqrt(2.0 * Math.log(800.0));
        AlwaysValidInference.Result result = AlwaysValidInference.test(edge, 1.0, 1.0, 0.05);
        assertRelative(0.05, result.pValue(), 1e-13, "p");
        assertEquals(0.0, result.interval().lower(), 1e-14);
    }

    /** Δ̂ = 0: ln Λ = −ln(1 + k)/2 < 0, so p = min(1, 1/Λ) = 1. */
    @Test
    void nullEstimateHasPValueOne() {
        assertEquals(1.0, AlwaysValidInference.test(0.0, 1.0, 3.0, 0.05).pValue());
    }

    /** The always-valid interval is wider than the fixed-horizon normal interval at every look. */
    @Test
    void widerThanTheFixedHorizonInterval() {
        for (double tau : new double[] {0.01, 0.1, 1, 10, 100}) {
            AlwaysValidInference.Result result = AlwaysValidInference.test(0.0, 1.0, tau, 0.05);
            assertTrue(result.interval().upper() > 1.959963984540054, "tau " + tau);
        }
    }

    private static Comparison comparison(long n, double controlMean, double treatmentMean) {
        return DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(n, controlMean, 4.0),
                GroupMoments.ofUnitDenominator(n, treatmentMean, 4.0), 0.05);
    }

    @Test
    void belowTheMinimumSampleThereIsNoInterval() {
        AlwaysValidInference.SequentialComparison result = AlwaysValidInference.compare(comparison(99, 10, 11),
                AlwaysValidInference.DEFAULT_MIXING_FRACTION, 0.05);
        assertEquals(List.of("fewer than 100 units in an arm: no always-valid interval"), result.warnings());
        assertRelative(1.0, result.absolute().interval().estimate(), EXACT, "estimate kept");
        assertNull(result.absolute().interval().lower());
        assertNull(result.absolute().pValue());
        assertNull(result.relative().pValue());
        assertFalse(result.absolute().significant());
        assertEquals(99, result.controlUnits());
    }

    /**
     * 100 units per arm with means 10 and 11, variance 4: Δ = 1, SE = √(4/100 + 4/100) = √0.08; τ = 0.05·10.
     * Relative: L = 0.1, SE_L = √(0.04/100 + 1.21·0.04/100) = √0.000884, τ = 0.05.
     */
    @Test
    void comparisonUsesTheFractionOfTheControlValue() {
        AlwaysValidInference.SequentialComparison result = AlwaysValidInference.compare(comparison(100, 10, 11), 0.05,
                0.05);
        assertTrue(result.warnings().isEmpty());
        AlwaysValidInference.Result direct = AlwaysValidInference.test(1.0, Math.sqrt(0.08), 0.5, 0.05);
        assertRelative(direct.pValue(), result.absolute().pValue(), EXACT, "absolute p");
        assertRelative(0.5, result.absolute().mixingStandardDeviation(), EXACT, "tau absolute");
        AlwaysValidInference.Result relative = AlwaysValidInference.test(0.1, Math.sqrt(0.000884), 0.05, 0.05);
        assertRelative(relative.interval().upper(), result.relative().interval().upper(), 1e-12, "relative upper");
    }

    @Test
    void zeroControlValueHasNoMixingScaleAndNoRelativeLift() {
        AlwaysValidInference.SequentialComparison result = AlwaysValidInference.compare(comparison(200, 0, 1), 0.05,
                0.05);
        assertEquals(List.of("absolute lift: control value is zero or missing, no mixing scale"), result.warnings());
        assertNull(result.absolute().pValue());
        assertNull(result.relative().interval().estimate());
    }

    @Test
    void zeroStandardErrorHasNoInterval() {
        Comparison flat = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(200, 10, 0),
                GroupMoments.ofUnitDenominator(200, 11, 0), 0.05);
        AlwaysValidInference.SequentialComparison result = AlwaysValidInference.compare(flat, 0.05, 0.05);
        assertEquals(List.of("absolute lift: no positive standard error, no always-valid interval",
                "relative lift: no positive standard error, no always-valid interval"), result.warnings());
        assertNull(result.absolute().interval().upper());
    }

    /** Running minimum and intersection: a later, weaker look cannot loosen what an earlier look showed. */
    @Test
    void looksKeepTheRunningMinimumAndIntersection() {
        List<AlwaysValidInference.SequentialComparison> results = AlwaysValidInference.compareLooks(
                List.of(comparison(50, 10, 11), comparison(400, 10, 11), comparison(800, 10, 10.6)), 0.05, 0.05);
        assertNull(results.get(0).absolute().pValue());
        AlwaysValidInference.Result second = results.get(1).absolute();
        AlwaysValidInference.Result third = results.get(2).absolute();
        AlwaysValidInference.Result thirdAlone = AlwaysValidInference.compare(comparison(800, 10, 10.6), 0.05, 0.05)
                .absolute();
        assertTrue(thirdAlone.pValue() > second.pValue(), "the third look alone is weaker");
        assertEquals(second.pValue(), third.pValue());
        assertEquals(Math.max(second.interval().lower(), thirdAlone.interval().lower()), third.interval().lower());
        assertEquals(Math.min(second.interval().upper(), thirdAlone.interval().upper()), third.interval().upper());
        assertRelative(thirdAlone.logLikelihoodRatio(), third.logLikelihoodRatio(), EXACT, "per-look ln Lambda");
    }

    /**
     * Looks that contradict each other (Δ = 1 ± 0.43 at 400 units, then Δ = 0.2 ± 0.31 at 800): the running
     * intersection is empty, the ends are null with a warning, the running p-value is kept.
     */
    @Test
    void disjointLooksHaveNoInterval() {
        List<AlwaysValidInference.SequentialComparison> results = AlwaysValidInference.compareLooks(
                List.of(comparison(400, 10, 11), comparison(800, 10, 10.2)), 0.05, 0.05);
        AlwaysValidInference.SequentialComparison last = results.get(1);
        assertNull(last.absolute().interval().lower());
        assertEquals(results.get(0).absolute().pValue(), last.absolute().pValue());
        assertEquals(List.of("absolute lift: intervals of successive looks do not overlap",
                "relative lift: intervals of successive looks do not overlap"), last.warnings());
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> AlwaysValidInference.test(1, 0, 1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> AlwaysValidInference.test(1, 1, 0, 0.05));
        assertThrows(IllegalArgumentException.class, () -> AlwaysValidInference.test(1, 1, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> AlwaysValidInference.test(Double.NaN, 1, 1, 0.05));
        assertThrows(IllegalArgumentException.class, () -> AlwaysValidInference.compareLooks(List.of(), 0.05, 0.05));
        assertThrows(IllegalArgumentException.class,
                () -> AlwaysValidInference.compare(comparison(200, 1, 2), Double.POSITIVE_INFINITY, 0.05));
    }
}
