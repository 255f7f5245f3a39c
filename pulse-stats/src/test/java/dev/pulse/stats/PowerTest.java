package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Power and MDE against hand-worked numbers (the scipy-computed cases are in AdvancedReferenceTest). */
class PowerTest {

    /** z(0.975) = 1.959963984540054, z(0.8) = 0.8416212335729143 (scipy stats.norm.ppf): k = 2.8015852181129683. */
    private static final double K = 2.8015852181129683;

    /**
     * σ² = 1, 100 units per group, α = .05 two-sided, power .8: SE = √(2/100), MDE = k·√0.02 =
     * 0.39620398115993455; control mean 2 → relative 0.19810199057996728.
     */
    @Test
    void minimumDetectableEffectByHand() {
        Power.MinimumDetectableEffect mde = Power.minimumDetectableEffect(1.0, 2.0, 100, 100, 0.05, 0.8,
                Direction.TWO_SIDED);
        assertRelative(K, mde.multiplier(), 1e-12, "k");
        assertRelative(Math.sqrt(0.02), mde.standardError(), 1e-15, "SE");
        assertRelative(0.39620398115993455, mde.absolute(), 1e-12, "MDE");
        assertRelative(0.39620398115993455 / 2, mde.relative(), 1e-12, "relative MDE");
        Power.MinimumDetectableEffect split = Power.minimumDetectableEffect(1.0, 2.0, 200, 0.5, 0.05, 0.8,
                Direction.TWO_SIDED);
        assertRelative(mde.absolute(), split.absolute(), 1e-15, "200 split ½/½ = 100 + 100");
        assertNull(Power.minimumDetectableEffect(1.0, 0.0, 100, 100, 0.05, 0.8, Direction.TWO_SIDED).relative());
    }

    /**
     * Lehr's rule n ≈ 16σ²/δ² per group for α = .05 two-sided, power .8 (Lehr, Stat. Med. 11, 1992; the
     * exact factor is 2k² = 15.70): σ = 1, δ = 0.5·1 → N = k²/(¼·¼) = 125.58207574958541, 62.79 per group
     * → 63 + 63 = 126 units; at 10 units a day 13 days.
     */
    @Test
    void unitsAndDaysByHand() {
        Power.SampleSize size = Power.unitsNeeded(1.0, 1.0, 0.5, 0.5, 0.05, 0.8, Direction.TWO_SIDED);
        assertEquals(63, size.controlUnits());
        assertEquals(63, size.treatmentUnits());
        assertEquals(126, size.totalUnits());
        assertEquals(13, Power.daysNeeded(126, 10.0));
        assertEquals(12, Power.daysNeeded(120, 10.0), "an exact multiple is not rounded up");
        // The planned design reaches the target: MDE at 63 + 63 units is at most 0.5.
        double mde = Power.minimumDetectableEffect(1.0, 1.0, 63, 63, 0.05, 0.8, Direction.TWO_SIDED).absolute();
        assertEquals(true, mde <= 0.5, "MDE " + mde);
        // Halving the effect quadruples the units (up to rounding): 4 · 125.58 = 502.33 → 252 + 252.
        assertEquals(504, Power.unitsNeeded(1.0, 1.0, 0.25, 0.5, 0.05, 0.8, Direction.TWO_SIDED).totalUnits());
        // One-sided: z(0.95) = 1.6448536269514722, k = 2.4864748605243863, N = 4k²/0.25 = 98.92 → 50 + 50.
        assertEquals(100, Power.unitsNeeded(1.0, 1.0, 0.5, 0.5, 0.05, 0.8, Direction.INCREASE).totalUnits());
    }

    /**
     * Cluster-aware σ² from moments: the ratio example of HandDerivedTest has s_xx − 2R s_xy + R² s_yy = 1
     * and ȳ = 2, so σ² = 1/4 (= n·V_c = 3 · 1/12).
     */
    @Test
    void unitVarianceFromMoments() {
        assertRelative(0.25, Power.unitVariance(new GroupMoments(3, 4.0, 2.0, 7.0, 1.0, 2.5)), 1e-14, "σ²");
        assertRelative(20.0 / 3.0, Power.unitVariance(GroupMoments.ofUnitDenominator(4, 5.0, 20.0 / 3.0)), 1e-15,
                "Y ≡ 1: s_xx");
        assertThrows(IllegalArgumentException.class, () -> Power.unitVariance(GroupMoments.ofUnitDenominator(1, 5.0, 0)));
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> Power.minimumDetectableEffect(1.0, 1.0, 0, 10, 0.05, 0.8, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> Power.minimumDetectableEffect(-1.0, 1.0, 10, 10, 0.05, 0.8, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> Power.minimumDetectableEffect(1.0, 1.0, 10, 10, 0.05, 1.0, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> Power.minimumDetectableEffect(1.0, 1.0, 10, 10, 0.05, 0.01, Direction.TWO_SIDED), "k <= 0");
        assertThrows(IllegalArgumentException.class,
                () -> Power.unitsNeeded(1.0, 0.0, 0.1, 0.5, 0.05, 0.8, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> Power.unitsNeeded(1.0, 1.0, 0.1, 1.0, 0.05, 0.8, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class, () -> Power.daysNeeded(10, 0.0));
    }
}
