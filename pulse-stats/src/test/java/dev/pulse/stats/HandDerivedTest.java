package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Small examples worked by hand in the comments. Rational results are checked to 1e-14 relative
 * (double rounding only); the t quantile and tail, which have no closed form at ν = 216/53, come from
 * scipy 1.17.1 ({@code stats.t.ppf(0.975, 216/53)}, {@code 2*stats.t.sf(x, 216/53)}) and are checked
 * to 1e-9 relative.
 */
class HandDerivedTest {

    private static final double EXACT = 1e-14;
    private static final double QUANTILE = 2.7562848743595714; // scipy: stats.t.ppf(0.975, 216/53)

    private static GroupMoments units(double[] x, double[] y) {
        GroupMoments moments = new GroupMoments(0, 0, 0, 0, 0, 0);
        for (int i = 0; i < x.length; i++) {
            moments = moments.merge(new GroupMoments(1, x[i], y[i], 0, 0, 0));
        }
        return moments;
    }

    /**
     * Y ≡ 1. Control X = {1, 2, 3}: x̄ = 2, s² = (1 + 0 + 1)/2 = 1, V_c = 1/3.
     * Treatment X = {2, 4, 6, 8}: x̄ = 5, s² = (9 + 1 + 1 + 9)/3 = 20/3, V_t = (20/3)/4 = 5/3.
     * Δ = 3, SE² = 5/3 + 1/3 = 2, ν = 2² / ((5/3)²/3 + (1/3)²/2) = 4 / (50/54 + 3/54) = 216/53.
     * t = 3/√2; CI 3 ± q·√2.
     * L = 5/2 − 1 = 3/2, SE_L² = V_t/R_c² + R_t² V_c/R_c⁴ = (5/3)/4 + 25(1/3)/16 = 20/48 + 25/48 = 15/16.
     */
    @Test
    void unitDenominatorExample() {
        GroupMoments control = GroupMoments.ofUnitDenominator(3, 2.0, 1.0);
        GroupMoments treatment = GroupMoments.ofUnitDenominator(4, 5.0, 20.0 / 3.0);
        Comparison result = DeltaMethodComparison.compare(control, treatment, 0.05);

        assertRelative(2.0, result.controlMean(), EXACT, "control mean");
        assertRelative(5.0, result.treatmentMean(), EXACT, "treatment mean");
        assertRelative(3.0, result.absolute().estimate(), EXACT, "delta");
        assertRelative(Math.sqrt(2.0), result.absolute().stdError(), EXACT, "SE");
        assertRelative(216.0 / 53.0, result.degreesOfFreedom(), EXACT, "nu");
        assertRelative(3.0 - QUANTILE * Math.sqrt(2.0), result.absolute().lower(), 1e-9, "lower");
        assertRelative(3.0 + QUANTILE * Math.sqrt(2.0), result.absolute().upper(), 1e-9, "upper");
        assertRelative(0.09991286431180091, result.pValue(), 1e-9, "p"); // scipy: 2*stats.t.sf(3/sqrt(2), 216/53)
        assertFalse(result.significant());
        assertRelative(1.5, result.relative().estimate(), EXACT, "L");
        assertRelative(Math.sqrt(15.0) / 4.0, result.relative().stdError(), EXACT, "SE_L");
        assertRelative(1.5 + QUANTILE * Math.sqrt(15.0) / 4.0, result.relative().upper(), 1e-9, "L upper");
        assertTrue(result.warnings().isEmpty());

        // The same moments from the raw values, by merging single units and from raw sums.
        GroupMoments merged = units(new double[] {1, 2, 3}, new double[] {1, 1, 1});
        assertRelative(1.0, merged.varX(), EXACT, "merged control variance");
        GroupMoments summed = GroupMoments.ofSums(4, 20, 4 + 16 + 36 + 64);
        assertRelative(20.0 / 3.0, summed.varX(), EXACT, "treatment variance from sums");
    }

    /**
     * Ratio. Control units (X, Y) = (2, 1), (3, 2), (7, 3): ΣX = 12, ΣY = 6, R_c = 2, x̄ = 4, ȳ = 2;
     * s_xx = (4 + 1 + 9)/2 = 7, s_yy = (1 + 0 + 1)/2 = 1, s_xy = (2 + 0 + 3)/2 = 5/2;
     * s_xx − 2R s_xy + R² s_yy = 7 − 10 + 4 = 1 (= variance of X − 2Y = {0, −1, 1}), V_c = 1/(3·2²) = 1/12.
     * Treatment (4, 1), (5, 2), (9, 2), (6, 3): ΣX = 24, ΣY = 8, R_t = 3, ȳ = 2; X − 3Y = {1, −1, 3, −3},
     * variance 20/3, V_t = (20/3)/(4·2²) = 5/12.
     * Δ = 1, SE² = 1/2, ν = (1/2)² / ((5/12)²/3 + (1/12)²/2) = (1/4)/(53/864) = 216/53; t = √2.
     * L = 1/2, SE_L² = (5/12)/4 + 9(1/12)/16 = 20/192 + 9/192 = 29/192.
     */
    @Test
    void ratioExample() {
        GroupMoments control = new GroupMoments(3, 4.0, 2.0, 7.0, 1.0, 2.5);
        GroupMoments treatment = units(new double[] {4, 5, 9, 6}, new double[] {1, 2, 2, 3});
        GroupMoments controlFromSums = GroupMoments.ofSums(3, 12, 4 + 9 + 49, 6, 1 + 4 + 9, 2 + 6 + 21);
        assertRelative(2.5, controlFromSums.covXY(), EXACT, "control covariance from sums");
        assertRelative(7.0, units(new double[] {2, 3, 7}, new double[] {1, 2, 3}).varX(), EXACT, "merged s_xx");

        for (GroupMoments c : new GroupMoments[] {control, controlFromSums}) {
            Comparison result = DeltaMethodComparison.compare(c, treatment, 0.05);
            assertRelative(2.0, result.controlMean(), EXACT, "R_c");
            assertRelative(3.0, result.treatmentMean(), EXACT, "R_t");
            assertRelative(1.0, result.absolute().estimate(), EXACT, "delta");
            assertRelative(Math.sqrt(0.5), result.absolute().stdError(), 1e-13, "SE");
            assertRelative(216.0 / 53.0, result.degreesOfFreedom(), 1e-13, "nu");
            assertRelative(1.0 + QUANTILE * Math.sqrt(0.5), result.absolute().upper(), 1e-9, "upper");
            assertRelative(0.22894282682490288, result.pValue(), 1e-9, "p"); // scipy: 2*stats.t.sf(sqrt(2), 216/53)
            assertRelative(0.5, result.relative().estimate(), EXACT, "L");
            assertRelative(Math.sqrt(29.0 / 192.0), result.relative().stdError(), 1e-13, "SE_L");
            assertRelative(0.5 - QUANTILE * Math.sqrt(29.0 / 192.0), result.relative().lower(), 1e-9, "L lower");
            assertEquals(3, result.controlUnits());
            assertEquals(4, result.treatmentUnits());
        }
    }

    /**
     * SRM. Observed (60, 40), shares (½, ½): E = (50, 50), χ² = 100/50 + 100/50 = 4, 1 df,
     * p = P(χ²₁ > 4) = erfc(√2) = 0.0455002638963584 (A&amp;S table 26.8; scipy stats.chi2.sf(4, 1)).
     * Observed (30, 20, 50), shares (¼, ¼, ½): E = (25, 25, 50), χ² = 1 + 1 + 0 = 2, 2 df,
     * p = e^{−2/2} = e^{−1} (χ²₂ has survival function e^{−x/2}).
     */
    @Test
    void sampleRatioExamples() {
        SampleRatioMismatch.Result two = SampleRatioMismatch.test(new long[] {60, 40}, new double[] {0.5, 0.5});
        assertRelative(4.0, two.chiSquare(), EXACT, "chi-square");
        assertEquals(1, two.degreesOfFreedom());
        assertRelative(0.0455002638963584, two.pValue(), 1e-12, "p");
        assertTrue(two.passed());

        SampleRatioMismatch.Result three = SampleRatioMismatch.test(new long[] {30, 20, 50},
                new double[] {0.25, 0.25, 0.5});
        assertRelative(2.0, three.chiSquare(), EXACT, "chi-square");
        assertEquals(2, three.degreesOfFreedom());
        assertRelative(Math.exp(-1.0), three.pValue(), 1e-12, "p");

        // 600 vs 400 of 1000 at ½/½: χ² = 2·100²/500 = 40, p = erfc(√20) ≈ 2.5e-10 < 0.001: flagged.
        SampleRatioMismatch.Result skewed = SampleRatioMismatch.test(new long[] {600, 400}, new double[] {0.5, 0.5});
        assertRelative(40.0, skewed.chiSquare(), EXACT, "chi-square");
        assertRelative(2.5396285894708634e-10, skewed.pValue(), 1e-9, "p"); // scipy: stats.chi2.sf(40, 1)
        assertFalse(skewed.passed());
    }
}
