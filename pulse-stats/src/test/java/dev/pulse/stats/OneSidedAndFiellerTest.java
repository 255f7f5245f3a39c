package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One-sided tests and Fieller relative intervals: a hand-derived example, properties over seeded
 * random groups (the failure message names the seed), and the undefined cases.
 */
class OneSidedAndFiellerTest {

    /**
     * The ratio example of {@link HandDerivedTest}: R_c = 2, R_t = 3, V_c = 1/12, V_t = 5/12, Δ = 1,
     * SE = √½, ν = 216/53, Δ/SE = √2, L = ½, SE_L = √(29/192). Treatment units (4, 1), (5, 2), (9, 2),
     * (6, 3): x̄ = 6, ȳ = 2, s_xx = 14/3, s_yy = 2/3, s_xy = 2/3.
     */
    private static final GroupMoments CONTROL = new GroupMoments(3, 4.0, 2.0, 7.0, 1.0, 2.5);
    private static final GroupMoments TREATMENT = new GroupMoments(4, 6.0, 2.0, 14.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0);

    private static DeltaMethodComparison.Options options(Direction direction, RelativeInterval relative) {
        return DeltaMethodComparison.Options.of(0.05).withDirection(direction).withRelativeInterval(relative);
    }

    /**
     * scipy 1.17.1: stats.t.ppf(0.95, 216/53) = 2.120554166456766, stats.t.sf(√2, 216/53) =
     * 0.11447141341245144, stats.t.cdf(√2, 216/53) = 0.8855285865875485. INCREASE: lower
     * 1 − 2.120554166456766·√½; relative lower ½ − 2.120554166456766·√(29/192).
     */
    @Test
    void oneSidedHandExample() {
        Comparison base = DeltaMethodComparison.compare(CONTROL, TREATMENT, 0.05);
        assertRelative(216.0 / 53.0, base.degreesOfFreedom(), 1e-13, "nu (same example as HandDerivedTest)");
        Comparison increase = DeltaMethodComparison.compare(CONTROL, TREATMENT, options(Direction.INCREASE,
                RelativeInterval.DELTA));
        assertRelative(0.11447141341245144, increase.pValue(), 1e-9, "p increase");
        assertRelative(1.0 - 2.120554166456766 * Math.sqrt(0.5), increase.absolute().lower(), 1e-9, "lower");
        assertNull(increase.absolute().upper());
        assertTrue(increase.absolute().upperUnbounded());
        assertFalse(increase.absolute().lowerUnbounded());
        assertRelative(0.5 - 2.120554166456766 * Math.sqrt(29.0 / 192.0), increase.relative().lower(), 1e-9, "L lower");
        assertTrue(increase.relative().upperUnbounded());
        assertTrue(increase.warnings().isEmpty(), "an unbounded end is not a warning");
        assertFalse(increase.significant());

        Comparison decrease = DeltaMethodComparison.compare(CONTROL, TREATMENT, options(Direction.DECREASE,
                RelativeInterval.DELTA));
        assertRelative(0.8855285865875485, decrease.pValue(), 1e-9, "p decrease");
        assertRelative(1.0 + 2.120554166456766 * Math.sqrt(0.5), decrease.absolute().upper(), 1e-9, "upper");
        assertTrue(decrease.absolute().lowerUnbounded());
        assertNull(decrease.absolute().lower());
    }

    /**
     * Fieller by hand: q = t(0.975, 216/53) = 2.7562848743595714 (scipy), g = q²·(1/12)/4 = 0.158273…;
     * the roots of (4 − q²/12)ρ² − 12ρ + (9 − 5q²/12) = 0 (numpy.roots) minus 1 are
     * −0.4191142669578043 and 1.9832154202060064. The delta interval is ½ ± q·√(29/192) = [−0.571, 1.571]:
     * Fieller's is shifted up, as a ratio's distribution is right-skewed.
     */
    @Test
    void fiellerHandExample() {
        Comparison result = DeltaMethodComparison.compare(CONTROL, TREATMENT, options(Direction.TWO_SIDED,
                RelativeInterval.FIELLER));
        assertRelative(0.5, result.relative().estimate(), 1e-15, "L stays the point estimate");
        assertRelative(Math.sqrt(29.0 / 192.0), result.relative().stdError(), 1e-13, "SE_L stays the delta SE");
        assertRelative(-0.4191142669578043, result.relative().lower(), 1e-9, "Fieller lower");
        assertRelative(1.9832154202060064, result.relative().upper(), 1e-9, "Fieller upper");
        assertTrue(result.warnings().isEmpty());
        Comparison delta = DeltaMethodComparison.compare(CONTROL, TREATMENT, 0.05);
        assertEquals(delta.absolute(), result.absolute(), "the absolute interval does not depend on the relative method");
        assertEquals(delta.pValue(), result.pValue());
    }

    @Test
    void defaultsEqualTheOldSignature() {
        assertEquals(DeltaMethodComparison.compare(CONTROL, TREATMENT, 0.1),
                DeltaMethodComparison.compare(CONTROL, TREATMENT, DeltaMethodComparison.Options.of(0.1)));
    }

    /** Random groups with clustered-looking moments; returns {control, treatment}. */
    private static GroupMoments[] randomPair(SplittableRandom random) {
        GroupMoments[] pair = new GroupMoments[2];
        for (int g = 0; g < 2; g++) {
            long n = random.nextLong(3, 500);
            double meanY = random.nextDouble(0.5, 20);
            double meanX = meanY * random.nextDouble(0.5, 5);
            double varY = random.nextDouble(0.1, 30);
            double varX = random.nextDouble(0.1, 500);
            double covXY = random.nextDouble(-0.9, 0.9) * Math.sqrt(varX * varY);
            pair[g] = new GroupMoments(n, meanX, meanY, varX, varY, covXY);
        }
        return pair;
    }

    @Test
    void oneSidedPValueIsHalfTheTwoSidedInTheTestedDirection() {
        for (long seed = 1; seed <= 300; seed++) {
            GroupMoments[] pair = randomPair(new SplittableRandom(seed));
            Comparison two = DeltaMethodComparison.compare(pair[0], pair[1], 0.05);
            Comparison up = DeltaMethodComparison.compare(pair[0], pair[1], options(Direction.INCREASE,
                    RelativeInterval.DELTA));
            Comparison down = DeltaMethodComparison.compare(pair[0], pair[1], options(Direction.DECREASE,
                    RelativeInterval.DELTA));
            String what = "seed=" + seed;
            Comparison tested = two.absolute().estimate() > 0 ? up : down;
            Comparison opposite = two.absolute().estimate() > 0 ? down : up;
            assertRelative(two.pValue() / 2.0, tested.pValue(), 1e-12, what + " half");
            assertClose(1.0, tested.pValue() + opposite.pValue(), 0.0, 1e-12, what + " the two tails sum to 1");
            // The one-sided bound at α is the two-sided bound at 2α.
            Comparison twoAtDouble = DeltaMethodComparison.compare(pair[0], pair[1], 0.1);
            assertRelative(twoAtDouble.absolute().lower(), up.absolute().lower(), 1e-12, what + " lower");
            assertRelative(twoAtDouble.absolute().upper(), down.absolute().upper(), 1e-12, what + " upper");
            assertRelative(twoAtDouble.relative().lower(), up.relative().lower(), 1e-12, what + " relative lower");
        }
    }

    /**
     * As V_c → 0, g = t²V_c/R_c² → 0 and the Fieller limits [r ± (t/|R_c|)√((1 − g)V_t + r²V_c)]/(1 − g)
     * tend to the delta limits r ± (t/|R_c|)√(V_t + r²V_c); the gap is O(g). Scaling the control's
     * variances by ε scales g by ε.
     */
    @Test
    void fiellerApproachesDeltaWhenTheControlIsPrecise() {
        for (long seed = 1; seed <= 100; seed++) {
            GroupMoments[] pair = randomPair(new SplittableRandom(seed));
            GroupMoments c = pair[0];
            double previousGap = Double.MAX_VALUE;
            for (double epsilon : new double[] {1.0, 1e-2, 1e-4, 1e-6, 1e-8}) {
                GroupMoments precise = new GroupMoments(c.n(), c.meanX(), c.meanY(), c.varX() * epsilon,
                        c.varY() * epsilon, c.covXY() * epsilon);
                Comparison delta = DeltaMethodComparison.compare(precise, pair[1], 0.05);
                Comparison fieller = DeltaMethodComparison.compare(precise, pair[1],
                        options(Direction.TWO_SIDED, RelativeInterval.FIELLER));
                if (fieller.relative().lower() == null) {
                    continue; // g >= 1 at ε = 1 for a few seeds
                }
                double width = delta.relative().upper() - delta.relative().lower();
                double gap = Math.max(Math.abs(fieller.relative().lower() - delta.relative().lower()),
                        Math.abs(fieller.relative().upper() - delta.relative().upper())) / width;
                assertTrue(gap <= previousGap + 1e-12, "seed=" + seed + " gap grows at ε=" + epsilon);
                previousGap = gap;
            }
            assertTrue(previousGap < 1e-4, "seed=" + seed + " gap at ε = 1e-8 is " + previousGap);
        }
    }

    /**
     * Unbounded Fieller: control units X = {1, 100, 1}, Y ≡ 1: R_c = 34, s² = 3267, V_c = 1089, with
     * ν ≥ 2 and t(0.975, ν) ≥ 1.96, g ≥ 1.96²·1089/34² = 3.6 ≥ 1.
     */
    @Test
    void fiellerUnboundedWhenTheControlIsTooNoisy() {
        GroupMoments noisy = GroupMoments.ofUnitDenominator(3, 34.0, 3267.0);
        GroupMoments treatment = GroupMoments.ofUnitDenominator(50, 40.0, 100.0);
        for (Direction direction : Direction.values()) {
            Comparison result = DeltaMethodComparison.compare(noisy, treatment, options(direction,
                    RelativeInterval.FIELLER));
            assertNull(result.relative().lower());
            assertNull(result.relative().upper());
            assertTrue(result.relative().lowerUnbounded() && result.relative().upperUnbounded(), direction.name());
            assertEquals(List.of("relative interval unbounded (control too noisy)"), result.warnings());
            assertRelative(40.0 / 34.0 - 1.0, result.relative().estimate(), 1e-15, "L");
            assertTrue(result.absolute().lower() != null || result.absolute().upper() != null, "absolute is bounded");
        }
    }

    /** n < 2 and zero variance: no interval at all, so no end is flagged unbounded, in any direction. */
    @Test
    void undefinedIntervalsAreNotUnbounded() {
        GroupMoments single = GroupMoments.ofUnitDenominator(1, 8.0, 0.0);
        GroupMoments flat = GroupMoments.ofUnitDenominator(5, 3.0, 0.0);
        for (Direction direction : Direction.values()) {
            for (RelativeInterval method : RelativeInterval.values()) {
                for (GroupMoments[] pair : new GroupMoments[][] {{CONTROL, single}, {flat, flat}}) {
                    Comparison result = DeltaMethodComparison.compare(pair[0], pair[1], options(direction, method));
                    for (Interval interval : List.of(result.absolute(), result.relative())) {
                        assertNull(interval.lower());
                        assertNull(interval.upper());
                        assertFalse(interval.lowerUnbounded() || interval.upperUnbounded(), direction + " " + method);
                    }
                    assertNull(result.pValue());
                    assertFalse(result.significant());
                    assertEquals(1, result.warnings().size(), result.warnings().toString());
                }
            }
        }
    }

    @Test
    void invalidOptionsAndIntervalsThrow() {
        assertThrows(IllegalArgumentException.class, () -> DeltaMethodComparison.Options.of(0.0));
        assertThrows(IllegalArgumentException.class, () -> DeltaMethodComparison.compare(CONTROL, TREATMENT, 1.0));
        assertThrows(NullPointerException.class,
                () -> new DeltaMethodComparison.Options(0.05, null, RelativeInterval.DELTA));
        assertThrows(IllegalArgumentException.class, () -> new Interval(1.0, 1.0, 0.0, 2.0, true, false));
        assertThrows(IllegalArgumentException.class, () -> new Interval(1.0, 1.0, 0.0, 2.0, false, true));
        assertEquals(new Interval(1.0, 1.0, 0.0, 2.0, false, false), new Interval(1.0, 1.0, 0.0, 2.0));
    }
}
