package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link EffectHeterogeneity} on hand-worked cases, the expected numbers from scipy 1.17:
 * <pre>
 *   v1, v2 = 1.0, 0.25; nu = (v1 + v2)**2 / (v1**2/20 + v2**2/50); se = (v1 + v2)**0.5; d = 2.0
 *   2 * stats.t.sf(d/se, nu), d - stats.t.ppf(0.975, nu) * se
 *   2 * stats.norm.sf(d/se),  d - stats.norm.ppf(0.975) * se
 * </pre>
 * and {@link CovariateMoments#merge} against the moments of the union computed from the units themselves.
 */
class EffectHeterogeneityTest {

    private static Interval effect(double estimate, double standardError) {
        return new Interval(estimate, standardError, null, null);
    }

    @Test
    void welchSatterthwaiteOverTheFourGroups() {
        EffectHeterogeneity.Result result = EffectHeterogeneity.compare(effect(3.0, 1.0), 20.0, effect(1.0, 0.5), 50.0, 0.05);
        assertEquals(2.0, result.difference().estimate(), 1e-15);
        assertEquals(1.118033988749895, result.difference().stdError(), 1e-15);
        assertEquals(30.487804878048777, result.degreesOfFreedom(), 1e-12);
        assertEquals(0.08357930454367528, result.pValue(), 1e-9);
        assertEquals(-0.2817990289254997, result.difference().lower(), 1e-9);
        assertEquals(4.2817990289254997, result.difference().upper(), 1e-9);
    }

    @Test
    void normalReferenceWithoutDegreesOfFreedom() {
        EffectHeterogeneity.Result result = EffectHeterogeneity.compare(effect(3.0, 1.0), null, effect(1.0, 0.5), 50.0, 0.05);
        assertNull(result.degreesOfFreedom());
        assertEquals(0.07363827012030266, result.pValue(), 1e-9);
        assertEquals(-0.19130635144145414, result.difference().lower(), 1e-9);
    }

    @Test
    void undefinedEffectsGiveNullsWithAReason() {
        EffectHeterogeneity.Result missing = EffectHeterogeneity.compare(new Interval(null, null, null, null), null,
                effect(1.0, 0.5), 50.0, 0.05);
        assertNull(missing.difference().estimate());
        assertNull(missing.pValue());
        assertEquals(1, missing.warnings().size());

        EffectHeterogeneity.Result flat = EffectHeterogeneity.compare(effect(1.0, 0.0), 5.0, effect(1.0, 0.0), 5.0, 0.05);
        assertEquals(0.0, flat.difference().estimate());
        assertEquals(0.0, flat.difference().stdError());
        assertNull(flat.pValue());
        assertTrue(flat.warnings().get(0).contains("zero variance"));

        // one side without variance: its term drops out of ν, which becomes the other side's
        EffectHeterogeneity.Result half = EffectHeterogeneity.compare(effect(2.0, 0.0), 4.0, effect(1.0, 0.5), 9.0, 0.05);
        assertEquals(9.0, half.degreesOfFreedom(), 1e-12);
    }

    @Test
    void mergedCovariateMomentsAreThoseOfTheUnion() {
        double[][] first = {{1, 2}, {3, 5}, {4, 4}, {8, 9}};     // (pre, post) per unit
        double[][] second = {{10, 7}, {2, 6}, {5, 11}};
        double[][] union = {{1, 2}, {3, 5}, {4, 4}, {8, 9}, {10, 7}, {2, 6}, {5, 11}};
        CovariateMoments merged = moments(first, 0.5, 1.0).merge(moments(second, 2.0, -3.0));
        CovariateMoments direct = moments(union, 0.5, 1.0);
        assertEquals(direct.post().meanX(), merged.post().meanX(), 1e-12);
        assertEquals(direct.post().varX(), merged.post().varX(), 1e-12);
        assertEquals(direct.pre().varX(), merged.pre().varX(), 1e-12);
        assertEquals(direct.covXX0(), merged.covXX0(), 1e-12);
        assertEquals(7, merged.post().n());
    }

    /** Moments of (pre, post) pairs with Y ≡ 1, measured from the given shifts (so merging must reconcile them). */
    private static CovariateMoments moments(double[][] units, double postShift, double preShift) {
        int n = units.length;
        double meanPre = 0;
        double meanPost = 0;
        for (double[] unit : units) {
            meanPre += unit[0] / n;
            meanPost += unit[1] / n;
        }
        double varPre = 0;
        double varPost = 0;
        double cov = 0;
        for (double[] unit : units) {
            varPre += (unit[0] - meanPre) * (unit[0] - meanPre) / (n - 1);
            varPost += (unit[1] - meanPost) * (unit[1] - meanPost) / (n - 1);
            cov += (unit[0] - meanPre) * (unit[1] - meanPost) / (n - 1);
        }
        return new CovariateMoments(new GroupMoments(n, meanPost, 1, varPost, 0, 0),
                new GroupMoments(n, meanPre, 1, varPre, 0, 0), cov, 0, 0, 0)
                .withShifts(postShift, preShift);
    }
}
