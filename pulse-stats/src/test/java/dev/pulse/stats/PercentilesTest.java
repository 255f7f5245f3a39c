package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentile intervals worked by hand, with ties, tiny groups and invalid input. */
class PercentilesTest {

    /** z(0.975) (scipy stats.norm.ppf). */
    private static final double Z = 1.959963984540054;

    /**
     * Rows per unit A = {1, 1, 1}, B = {1, 2}, C = {3}; median p = ½. Pass 1: sorted 1, 1, 1, 1, 2, 3,
     * F̂(1) = 4/6 ≥ ½ so Q̂ = 1 (PERCENTILE_DISC). Pass 2: X = rows ≤ 1 = (3, 1, 0), Y = (3, 2, 1);
     * sums ΣX = 4, ΣX² = 10, ΣY = 6, ΣY² = 14, ΣXY = 11. p̂ = 4/6 = 2/3 > ½ because of the ties.
     * Linearized z_i = (X_i − p̂ Y_i)/ȳ = (½, −1/6, −1/3), variance (¼ + 1/36 + 1/9)/2 = 7/36,
     * σ² = 7/108. Levels ½ ∓ z·√(7/108) = 0.00101759341433022 and 0.99898240658566978 (scipy).
     * Pass 3: F̂ first reaches 0.001 at 1 and 0.99898 at 3, so the interval is [1, 3] and SE = 2/(2z).
     */
    @Test
    void tiesHandExample() {
        GroupMoments counts = GroupMoments.ofSums(3, 4, 10, 6, 14, 11);
        Percentiles.Levels levels = Percentiles.levels(0.5, counts, 0.05);
        assertRelative(2.0 / 3.0, levels.observedProbability(), 1e-15, "p-hat");
        assertRelative(Math.sqrt(7.0 / 108.0), levels.standardError(), 1e-14, "sigma");
        assertRelative(0.00101759341433022, levels.lowerLevel(), 1e-9, "lower level");
        assertRelative(0.99898240658566978, levels.upperLevel(), 1e-12, "upper level");
        assertTrue(levels.warnings().isEmpty());
        Interval interval = Percentiles.interval(1.0, 1.0, 3.0, 0.05);
        assertEquals(1.0, interval.estimate());
        assertRelative(1.0 / Z, interval.stdError(), 1e-14, "SE");
        assertEquals(1.0, interval.lower());
        assertEquals(3.0, interval.upper());
    }

    /** Wide σ: levels are clipped to [0, 1]. Two units: X = (0, 2), Y = (2, 2), p̂ = ½, z_i = ∓½, σ² = ½/2 = ¼. */
    @Test
    void levelsAreClipped() {
        Percentiles.Levels levels = Percentiles.levels(0.5, new GroupMoments(2, 1.0, 2.0, 2.0, 0.0, 0.0), 0.05);
        assertRelative(0.5, levels.standardError(), 1e-15, "sigma");
        assertEquals(0.0, levels.lowerLevel());
        assertEquals(1.0, levels.upperLevel());
    }

    /**
     * All rows equal (heavy ties): every unit has X = Y, so p̂ = 1 and σ = 0 (s_xx − 2 s_xy + s_yy = 0);
     * both levels are p, the interval has zero width, and comparing two such groups has no p-value.
     */
    @Test
    void allRowsTied() {
        GroupMoments counts = GroupMoments.ofSums(3, 6, 14, 6, 14, 14); // X = Y = (2, 3, 1)
        Percentiles.Levels levels = Percentiles.levels(0.9, counts, 0.05);
        assertEquals(1.0, levels.observedProbability());
        assertEquals(0.0, levels.standardError());
        assertEquals(0.9, levels.lowerLevel());
        assertEquals(0.9, levels.upperLevel());
        assertEquals(List.of("indicator share has zero variance: the interval has zero width"), levels.warnings());
        Interval group = Percentiles.interval(5.0, 5.0, 5.0, 0.05);
        assertEquals(0.0, group.stdError());
        Percentiles.QuantileComparison comparison = Percentiles.compare(group, group, 0.05);
        assertEquals(0.0, comparison.absolute().estimate());
        assertEquals(0.0, comparison.absolute().stdError());
        assertNull(comparison.absolute().lower());
        assertNull(comparison.pValue());
        assertEquals(List.of("zero standard error in both groups: no interval or p-value"), comparison.warnings());
    }

    @Test
    void tinyGroups() {
        Percentiles.Levels one = Percentiles.levels(0.5, new GroupMoments(1, 2.0, 4.0, 0, 0, 0), 0.05);
        assertRelative(0.5, one.observedProbability(), 1e-15, "p-hat of one unit");
        assertNull(one.standardError());
        assertNull(one.lowerLevel());
        assertEquals(List.of("group has fewer than 2 units"), one.warnings());
        Percentiles.Levels none = Percentiles.levels(0.5, new GroupMoments(0, 0, 0, 0, 0, 0), 0.05);
        assertNull(none.observedProbability());
        assertEquals(List.of("group has no units"), none.warnings());

        Interval tiny = Percentiles.interval(7.0, null, null, 0.05);
        assertEquals(new Interval(7.0, null, null, null), tiny);
        Interval other = Percentiles.interval(9.0, 8.0, 11.0, 0.05);
        Percentiles.QuantileComparison comparison = Percentiles.compare(tiny, other, 0.05);
        assertEquals(2.0, comparison.absolute().estimate());
        assertNull(comparison.absolute().stdError());
        assertNull(comparison.pValue());
        assertEquals(List.of("control quantile has no standard error"), comparison.warnings());
    }

    /**
     * Difference by hand: control [8, 12] around 10, treatment [10, 16] around 13, α = .05:
     * SE_c = 4/(2z), SE_t = 6/(2z), SE = √(4 + 9)/z = √13/z, Δ = 3, interval 3 ± √13, p = 2·P(Z > 3z/√13).
     */
    @Test
    void differenceByHand() {
        Percentiles.QuantileComparison result = Percentiles.compare(Percentiles.interval(10, 8.0, 12.0, 0.05),
                Percentiles.interval(13, 10.0, 16.0, 0.05), 0.05);
        assertRelative(3.0, result.absolute().estimate(), 1e-15, "delta");
        assertRelative(Math.sqrt(13) / Z, result.absolute().stdError(), 1e-14, "SE");
        assertRelative(3.0 - Math.sqrt(13), result.absolute().lower(), 1e-12, "lower");
        assertRelative(3.0 + Math.sqrt(13), result.absolute().upper(), 1e-12, "upper");
        // scipy: 2*stats.norm.sf(3*1.959963984540054/sqrt(13)) = 0.1029349315699355
        assertRelative(0.1029349315699355, result.pValue(), 1e-9, "p");
        assertRelative(0.3, result.relative().estimate(), 1e-14, "relative");
        Percentiles.QuantileComparison zero = Percentiles.compare(Percentiles.interval(0, -1.0, 1.0, 0.05),
                Percentiles.interval(1, 0.0, 2.0, 0.05), 0.05);
        assertNull(zero.relative().estimate());
        assertEquals(List.of("control quantile is zero: relative difference undefined"), zero.warnings());
    }

    /**
     * The groups of {@link #differenceByHand} tested one-sided at α = .05 (z(0.95) = 1.6448536269514722,
     * scipy stats.norm.ppf): Δ = 3, SE = √13/z(0.975), relative 0.3 with SE √(SE_t² + 1.3²·SE_c²)/10.
     * scipy: norm.sf(3/SE) = 0.05146746578496775 (half of the two-sided 0.1029349315699355),
     * norm.cdf(3/SE) = 0.9485325342150323; 3 − z(0.95)·SE = −0.025874015740237066,
     * 3 + z(0.95)·SE = 6.0258740157402375; relative 0.3 ∓ z(0.95)·0.20254895904056408 =
     * −0.033163389913117014 and 0.633163389913117.
     */
    @Test
    void oneSidedDifferenceByHand() {
        Interval control = Percentiles.interval(10, 8.0, 12.0, 0.05);
        Interval treatment = Percentiles.interval(13, 10.0, 16.0, 0.05);
        Percentiles.QuantileComparison twoSided = Percentiles.compare(control, treatment, 0.05);
        Percentiles.QuantileComparison increase = Percentiles.compare(control, treatment, 0.05, Direction.INCREASE);
        Percentiles.QuantileComparison decrease = Percentiles.compare(control, treatment, 0.05, Direction.DECREASE);

        assertRelative(0.05146746578496775, increase.pValue(), 1e-9, "p, increase");
        assertRelative(twoSided.pValue() / 2, increase.pValue(), 1e-12, "p, increase = two-sided / 2");
        assertRelative(0.9485325342150323, decrease.pValue(), 1e-9, "p, decrease");
        assertRelative(1 - twoSided.pValue() / 2, decrease.pValue(), 1e-12, "p, decrease = 1 − two-sided / 2");
        assertEquals(false, increase.significant());

        assertRelative(-0.025874015740237066, increase.absolute().lower(), 1e-9, "lower, increase");
        assertEquals(null, increase.absolute().upper());
        assertTrue(increase.absolute().upperUnbounded() && !increase.absolute().lowerUnbounded());
        assertRelative(6.0258740157402375, decrease.absolute().upper(), 1e-9, "upper, decrease");
        assertTrue(decrease.absolute().lowerUnbounded() && !decrease.absolute().upperUnbounded());
        assertRelative(-0.033163389913117014, increase.relative().lower(), 1e-9, "relative lower, increase");
        assertTrue(increase.relative().upperUnbounded());
        assertRelative(0.633163389913117, decrease.relative().upper(), 1e-9, "relative upper, decrease");
        assertTrue(decrease.relative().lowerUnbounded());
        // the estimate and its standard errors do not depend on the direction
        assertEquals(twoSided.absolute().stdError(), increase.absolute().stdError());
        assertEquals(twoSided.relative().stdError(), decrease.relative().stdError());
        // the one-sided bound at α is the two-sided bound at 2α
        assertRelative(Percentiles.compare(control, treatment, 0.10).absolute().lower(), increase.absolute().lower(),
                1e-12, "two-sided lower at 2α");
    }

    /** At α = ½ the one-sided bound is the estimate itself (z(½) = 0), which no two-sided interval gives. */
    @Test
    void oneSidedAtHalfIsBoundedByTheEstimate() {
        Percentiles.QuantileComparison increase = Percentiles.compare(Percentiles.interval(10, 8.0, 12.0, 0.05),
                Percentiles.interval(13, 10.0, 16.0, 0.05), 0.5, Direction.INCREASE);
        assertRelative(3.0, increase.absolute().lower(), 1e-12, "lower");
        assertRelative(0.3, increase.relative().lower(), 1e-12, "relative lower");
    }

    @Test
    void invalidInputThrows() {
        assertThrows(IllegalArgumentException.class,
                () -> Percentiles.levels(0.5, new GroupMoments(2, 3.0, 2.0, 0, 0, 0), 0.05), "X > Y");
        assertThrows(IllegalArgumentException.class,
                () -> Percentiles.levels(1.0, new GroupMoments(2, 1.0, 2.0, 0, 0, 0), 0.05), "p = 1");
        assertThrows(IllegalArgumentException.class, () -> Percentiles.interval(5.0, 6.0, 7.0, 0.05), "Q below lower");
        assertThrows(IllegalArgumentException.class, () -> Percentiles.interval(5.0, 4.0, null, 0.05), "one null");
        assertThrows(IllegalArgumentException.class,
                () -> Percentiles.compare(new Interval(null, null, null, null), new Interval(1.0, 1.0, 0.0, 2.0), 0.05));
    }
}
