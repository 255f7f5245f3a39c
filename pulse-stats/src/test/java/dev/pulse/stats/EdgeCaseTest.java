package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undefined and invalid cases (docs/statistics.md#undefined-cases): defined figures are kept, undefined ones are null
 * with a warning, invalid arguments throw. Expected values are hand-derived in the comments.
 */
class EdgeCaseTest {

    /** Control X = {1, 2, 3}: x̄ = 2, s² = 1 (as in HandDerivedTest). */
    private static final GroupMoments CONTROL = GroupMoments.ofUnitDenominator(3, 2.0, 1.0);
    /** Treatment X = {2, 4, 6, 8}: x̄ = 5, s² = 20/3. */
    private static final GroupMoments TREATMENT = GroupMoments.ofUnitDenominator(4, 5.0, 20.0 / 3.0);

    private static void assertNoStatistics(Comparison result) {
        assertNull(result.absolute().stdError());
        assertNull(result.absolute().lower());
        assertNull(result.absolute().upper());
        assertNull(result.relative().stdError());
        assertNull(result.relative().lower());
        assertNull(result.degreesOfFreedom());
        assertNull(result.pValue());
        assertFalse(result.significant());
    }

    @Test
    void emptyGroupKeepsTheOtherValue() {
        Comparison result = DeltaMethodComparison.compare(new GroupMoments(0, 0, 0, 0, 0, 0), TREATMENT, 0.05);
        assertNull(result.controlMean());
        assertRelative(5.0, result.treatmentMean(), 1e-15, "treatment mean");
        assertNull(result.absolute().estimate());
        assertNull(result.relative().estimate());
        assertNoStatistics(result);
        assertEquals(List.of("control has no units"), result.warnings());
        assertEquals(0, result.controlUnits());
    }

    @Test
    void singleUnitGroupKeepsEstimatesButNoStatistics() {
        // One treatment unit with X = 8: R_t = 8, Δ = 8 − 2 = 6, L = 8/2 − 1 = 3; no variance.
        Comparison result = DeltaMethodComparison.compare(CONTROL, GroupMoments.ofUnitDenominator(1, 8.0, 0.0), 0.05);
        assertRelative(6.0, result.absolute().estimate(), 1e-15, "delta");
        assertRelative(3.0, result.relative().estimate(), 1e-15, "L");
        assertNoStatistics(result);
        assertEquals(List.of("treatment has fewer than 2 units"), result.warnings());
    }

    @Test
    void singleUnitVarianceIsStoredAsZero() {
        GroupMoments one = new GroupMoments(1, 3.0, 2.0, 5.0, 7.0, 1.0);
        assertEquals(0.0, one.varX());
        assertEquals(0.0, one.varY());
        assertEquals(0.0, one.covXY());
        GroupMoments fromSums = GroupMoments.ofSums(1, 3.0, 9.0, 2.0, 4.0, 6.0);
        assertEquals(new GroupMoments(1, 3.0, 2.0, 0, 0, 0), fromSums);
    }

    @Test
    void zeroDenominatorSum() {
        // Treatment: 3 units with X = 0, Y = 0 (no rows): ȳ = 0, value undefined.
        GroupMoments noRows = GroupMoments.ofSums(3, 0, 0, 0, 0, 0);
        Comparison result = DeltaMethodComparison.compare(CONTROL, noRows, 0.05);
        assertRelative(2.0, result.controlMean(), 1e-15, "control mean");
        assertNull(result.treatmentMean());
        assertNull(result.absolute().estimate());
        assertNoStatistics(result);
        assertEquals(List.of("treatment denominator sums to zero"), result.warnings());
    }

    @Test
    void zeroVarianceInBothGroups() {
        // Control X ≡ 2, treatment X ≡ 3: Δ = 1, L = 0.5, SE = 0; no ν, interval or p-value.
        Comparison result = DeltaMethodComparison.compare(GroupMoments.ofSums(4, 8, 16),
                GroupMoments.ofSums(5, 15, 45), 0.05);
        assertRelative(1.0, result.absolute().estimate(), 1e-15, "delta");
        assertEquals(0.0, result.absolute().stdError(), 0.0);
        assertNull(result.absolute().lower());
        assertRelative(0.5, result.relative().estimate(), 1e-15, "L");
        assertEquals(0.0, result.relative().stdError(), 0.0);
        assertNull(result.relative().upper());
        assertNull(result.degreesOfFreedom());
        assertNull(result.pValue());
        assertFalse(result.significant());
        assertEquals(List.of("zero variance in both groups: no interval or p-value"), result.warnings());
    }

    @Test
    void ratioProportionalInEveryUnitHasZeroVariance() {
        // X = 2.1·Y in every unit: the delta-method numerator cancels to rounding noise, taken as 0.
        double[] y = {1, 3, 7, 11};
        GroupMoments group = new GroupMoments(0, 0, 0, 0, 0, 0);
        for (double value : y) {
            group = group.merge(new GroupMoments(1, 2.1 * value, value, 0, 0, 0));
        }
        Comparison result = DeltaMethodComparison.compare(group, group, 0.05);
        assertEquals(0.0, result.absolute().stdError(), 0.0);
        assertTrue(result.warnings().contains("zero variance in both groups: no interval or p-value"));
    }

    @Test
    void zeroVarianceInOneGroupLeavesTheOthersDegrees() {
        // Control X ≡ 2 (V_c = 0), treatment as above (V_t = 5/3, n_t = 4): ν = n_t − 1 = 3, SE = √(5/3).
        Comparison result = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(3, 2.0, 0.0), TREATMENT,
                0.05);
        assertRelative(3.0, result.degreesOfFreedom(), 1e-14, "nu");
        assertRelative(Math.sqrt(5.0 / 3.0), result.absolute().stdError(), 1e-14, "SE");
        assertNotNull(result.pValue());
        assertTrue(result.warnings().isEmpty());
    }

    @Test
    void zeroControlValueLeavesRelativeUndefined() {
        // Control X = {−1, 0, 1}: x̄ = 0, s² = 1; Δ = 5 is defined, L = 5/0 − 1 is not.
        Comparison result = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(3, 0.0, 1.0), TREATMENT,
                0.05);
        assertRelative(5.0, result.absolute().estimate(), 1e-15, "delta");
        assertNotNull(result.absolute().lower());
        assertNotNull(result.pValue());
        assertNull(result.relative().estimate());
        assertNull(result.relative().stdError());
        assertEquals(List.of("control value is zero: relative lift undefined"), result.warnings());
    }

    @Test
    void bothGroupsEmpty() {
        GroupMoments empty = GroupMoments.ofUnitDenominator(0, 0, 0);
        Comparison result = DeltaMethodComparison.compare(empty, empty, 0.05);
        assertNull(result.controlMean());
        assertNull(result.treatmentMean());
        assertNoStatistics(result);
        assertEquals(List.of("control has no units", "treatment has no units"), result.warnings());
    }

    @Test
    void hugeDegreesOfFreedomUseTheNormal() {
        // n = 10⁹ per group, equal variances: ν ≈ 2·10⁹ − 2. Δ/SE = 1.96 → p = erfc(1.96/√2) = 0.04999579...
        // (standard normal table; scipy stats.norm.sf(1.96)*2 = 0.04999579029644087).
        long n = 1_000_000_000L;
        double se = Math.sqrt(2.0 / n);
        Comparison result = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(n, 0.0, 1.0),
                GroupMoments.ofUnitDenominator(n, 1.96 * se, 1.0), 0.05);
        assertRelative(2.0 * n - 2, result.degreesOfFreedom(), 1e-12, "nu");
        assertRelative(0.04999579029644087, result.pValue(), 1e-9, "p");
        // 1.959963984540054 = scipy stats.norm.ppf(0.975)
        assertRelative(1.96 * se - 1.959963984540054 * se, result.absolute().lower(), 1e-6, "lower");
    }

    @Test
    void cancellationInRawSumsIsClampedToZero() {
        // Seven units with X = 0.7 summed naively: ΣX² − (ΣX)²/7 = −1.3e-15 from rounding alone
        // (Python float gives the same: (sx2 - sx*(sx/7))/6 = -2.22e-16). It must become exactly 0.
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < 7; i++) {
            sum += 0.7;
            sumSquares += 0.7 * 0.7;
        }
        assertTrue(sumSquares - sum * (sum / 7) < 0, "the example really cancels below zero");
        GroupMoments moments = GroupMoments.ofSums(7, sum, sumSquares);
        assertEquals(0.0, moments.varX(), 0.0);
        GroupMoments ratio = GroupMoments.ofSums(7, sum, sumSquares, 7, 7, sum);
        assertEquals(0.0, ratio.varX(), 0.0);
        assertEquals(0.0, ratio.covXY(), 0.0);
    }

    @Test
    void invalidMomentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new GroupMoments(-1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupMoments(5, Double.NaN, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupMoments(5, 1, 1, -1e-3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupMoments(5, 1, 1, 1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> GroupMoments.ofSums(0, 1, 1));
        // ΣX² = 1 < (ΣX)²/n = 100/4: impossible sums.
        assertThrows(IllegalArgumentException.class, () -> GroupMoments.ofSums(4, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> DeltaMethodComparison.compare(CONTROL, TREATMENT, 0.0));
        assertThrows(IllegalArgumentException.class, () -> DeltaMethodComparison.compare(CONTROL, TREATMENT, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Interval(Double.NaN, null, null, null));
    }

    @Test
    void mergeWithEmptyReturnsTheOther() {
        GroupMoments empty = new GroupMoments(0, 0, 0, 0, 0, 0);
        assertSame(CONTROL, CONTROL.merge(empty));
        assertSame(CONTROL, empty.merge(CONTROL));
    }

    @Test
    void sampleRatioWithAZeroCount() {
        // Observed (0, 10), shares (½, ½): E = (5, 5), χ² = 25/5 + 25/5 = 10, p = erfc(√5) ≈ 0.00157.
        SampleRatioMismatch.Result result = SampleRatioMismatch.test(new long[] {0, 10}, new double[] {0.5, 0.5});
        assertRelative(10.0, result.chiSquare(), 1e-15, "chi-square");
        assertRelative(0.001565402258002549, result.pValue(), 1e-9, "p"); // scipy: stats.chi2.sf(10, 1)
        assertFalse(result.passed(), "a group with no units is a mismatch whatever the p-value");
    }

    @Test
    void sampleRatioWithAnEmptyGroupNeverPasses() {
        // Observed (1, 0), shares (½, ½): E = (½, ½), χ² = ¼/½ + ¼/½ = 1, p = erfc(√½) ≈ 0.3173 (scipy:
        // stats.chi2.sf(1, 1)), well above the threshold; still a mismatch, with its p-value.
        SampleRatioMismatch.Result result = SampleRatioMismatch.test(new long[] {1, 0}, new double[] {0.5, 0.5});
        assertRelative(1.0, result.chiSquare(), 1e-15, "chi-square");
        assertRelative(0.31731050786291415, result.pValue(), 1e-9, "p");
        assertFalse(result.passed());
    }

    @Test
    void sampleRatioWithNoUnitsIsNoTest() {
        assertThrows(IllegalArgumentException.class, () -> SampleRatioMismatch.test(new long[] {0, 0, 0},
                new double[] {0.5, 0.25, 0.25}));
    }

    @Test
    void sampleRatioInvalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> SampleRatioMismatch.test(new long[] {5}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> SampleRatioMismatch.test(new long[] {5, 5}, new double[] {0.5, 0.3, 0.2}));
        assertThrows(IllegalArgumentException.class,
                () -> SampleRatioMismatch.test(new long[] {-1, 5}, new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> SampleRatioMismatch.test(new long[] {5, 5}, new double[] {0.0, 1.0}));
        assertThrows(IllegalArgumentException.class,
                () -> SampleRatioMismatch.test(new long[] {5, 5}, new double[] {0.5, 0.6}));
        assertThrows(IllegalArgumentException.class,
                () -> SampleRatioMismatch.test(new long[] {5, 5}, new double[] {Double.NaN, 0.5}));
    }
}
