package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.stats.MultipleComparisons.Correction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Multiple-comparison corrections: worked by hand, properties over seeded families, edge cases. */
class MultipleComparisonsTest {

    private static void assertAll(List<Double> expected, List<Double> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertRelative(expected.get(i), actual.get(i), 1e-12, what + " " + i);
        }
    }

    /**
     * p = (.01, .02, .03, .04, .05), m = 5, α = .05, by hand:
     * Bonferroni 5p = (.05, .10, .15, .20, .25);
     * Holm (5·.01, 4·.02, 3·.03, 2·.04, 1·.05) = (.05, .08, .09, .08, .05), running max → (.05, .08, .09, .09, .09);
     * BH m·p/i = (.05, .05, .05, .05, .05), running min from the top → all .05; R = 5, BY level .05·5/5 = .05.
     */
    @Test
    void handWorkedFamily() {
        List<Double> p = List.of(0.01, 0.02, 0.03, 0.04, 0.05);
        MultipleComparisons.Result bonferroni = MultipleComparisons.adjust(p, 0.05, Correction.BONFERRONI);
        assertAll(List.of(0.05, 0.10, 0.15, 0.20, 0.25), bonferroni.adjustedPValues(), "bonferroni");
        assertEquals(List.of(true, false, false, false, false), bonferroni.rejected());
        assertRelative(0.01, bonferroni.intervalAlphas().get(3), 1e-15, "α/m");
        MultipleComparisons.Result holm = MultipleComparisons.adjust(p, 0.05, Correction.HOLM);
        assertAll(List.of(0.05, 0.08, 0.09, 0.09, 0.09), holm.adjustedPValues(), "holm");
        assertEquals(1, holm.rejections());
        MultipleComparisons.Result bh = MultipleComparisons.adjust(p, 0.05, Correction.BENJAMINI_HOCHBERG);
        assertAll(List.of(0.05, 0.05, 0.05, 0.05, 0.05), bh.adjustedPValues(), "bh");
        assertEquals(5, bh.rejections());
        assertRelative(0.05, bh.intervalAlphas().get(0), 1e-15, "FCR level α·R/m");
    }

    /** None rejected by BH (p_(i) > α·i/m for every i): the interval level falls back to α/m. */
    @Test
    void benjaminiHochbergWithoutSelections() {
        MultipleComparisons.Result bh = MultipleComparisons.adjust(List.of(0.2, 0.3, 0.04), 0.05,
                Correction.BENJAMINI_HOCHBERG);
        // sorted .04, .2, .3: 3·.04/1 = .12, 3·.2/2 = .3, 3·.3/3 = .3 → (.3, .3, .12) in input order.
        assertAll(List.of(0.3, 0.3, 0.12), bh.adjustedPValues(), "bh");
        assertEquals(0, bh.rejections());
        assertRelative(0.05 / 3, bh.intervalAlphas().get(2), 1e-15, "α/m");
    }

    @Test
    void oneComparisonChangesNothing() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            double p = random.nextDouble();
            double alpha = random.nextDouble(0.001, 0.5);
            for (Correction correction : Correction.values()) {
                MultipleComparisons.Result result = MultipleComparisons.adjust(List.of(p), alpha, correction);
                assertEquals(p, result.adjustedPValues().get(0), "seed=7 case " + i + " " + correction);
                assertEquals(alpha, result.intervalAlphas().get(0), "seed=7 case " + i + " " + correction);
                assertEquals(p <= alpha, result.rejected().get(0));
            }
        }
    }

    /**
     * For random families: adjusted p-values keep the order of the raw ones and are at least the raw
     * ones; BH ≤ Holm ≤ Bonferroni; BH rejects at least as many as Holm, Holm as Bonferroni.
     */
    @Test
    void adjustedPValuesAreMonotone() {
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int m = random.nextInt(1, 30);
            List<Double> p = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                p.add(random.nextBoolean() ? random.nextDouble() * 0.01 : random.nextDouble());
                if (random.nextInt(5) == 0 && i > 0) {
                    p.set(i, p.get(i - 1)); // ties
                }
            }
            List<Double> bonferroni = MultipleComparisons.adjust(p, 0.05, Correction.BONFERRONI).adjustedPValues();
            List<Double> holm = MultipleComparisons.adjust(p, 0.05, Correction.HOLM).adjustedPValues();
            List<Double> bh = MultipleComparisons.adjust(p, 0.05, Correction.BENJAMINI_HOCHBERG).adjustedPValues();
            String what = "seed=" + seed;
            for (int i = 0; i < m; i++) {
                assertTrue(bh.get(i) <= holm.get(i) && holm.get(i) <= bonferroni.get(i), what);
                assertTrue(bh.get(i) >= p.get(i) && bonferroni.get(i) <= 1.0, what);
                for (int j = 0; j < m; j++) {
                    if (p.get(i) <= p.get(j)) {
                        assertTrue(holm.get(i) <= holm.get(j), what + " holm order");
                        assertTrue(bh.get(i) <= bh.get(j), what + " bh order");
                        assertTrue(bonferroni.get(i) <= bonferroni.get(j), what + " bonferroni order");
                    }
                }
            }
        }
    }

    /** Nulls (comparisons without a test) stay null and do not count in m. */
    @Test
    void nullPValuesAreOutsideTheFamily() {
        MultipleComparisons.Result result = MultipleComparisons.adjust(Arrays.asList(0.01, null, 0.04), 0.05,
                Correction.BONFERRONI);
        assertEquals(2, result.familySize());
        assertRelative(0.02, result.adjustedPValues().get(0), 1e-15, "2·.01");
        assertNull(result.adjustedPValues().get(1));
        assertFalse(result.rejected().get(1));
        assertRelative(0.025, result.intervalAlphas().get(1), 1e-15, "α/2");
        assertEquals(0, MultipleComparisons.adjust(List.of(), 0.05, Correction.HOLM).familySize());
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> MultipleComparisons.adjust(List.of(1.5), 0.05, Correction.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> MultipleComparisons.adjust(List.of(Double.NaN), 0.05, Correction.HOLM));
        assertThrows(IllegalArgumentException.class, () -> MultipleComparisons.adjust(List.of(0.1), 1.0, Correction.HOLM));
        assertThrows(NullPointerException.class, () -> MultipleComparisons.adjust(List.of(0.1), 0.05, null));
    }
}
