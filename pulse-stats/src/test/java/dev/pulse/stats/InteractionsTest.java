package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link Interactions} against scipy 1.17:
 * <pre>
 *   stats.chi2_contingency([[10, 20, 30], [25, 15, 5]], correction=False)
 *   stats.chi2_contingency([[12, 7], [9, 14]], correction=False)       # the empty middle column left out
 *   e, se = [1.0, 3.0, 2.5], [0.5, 1.0, 0.8]; w = 1/se**2; m = (w*e).sum()/w.sum(); q = (w*(e - m)**2).sum()
 *   stats.chi2.sf(q, 2)
 * </pre>
 */
class InteractionsTest {

    @Test
    void independenceAsScipyWithoutContinuityCorrection() {
        Interactions.ChiSquare test = Interactions.independence(new long[][] {{10, 20, 30}, {25, 15, 5}});
        assertEquals(23.333333333333336, test.chiSquare(), 1e-12);
        assertEquals(2, test.degreesOfFreedom());
        assertEquals(8.57493910267228e-06, test.pValue(), 1e-15);

        Interactions.ChiSquare sparse = Interactions.independence(new long[][] {{12, 0, 7}, {9, 0, 14}});
        assertEquals(2.402745995423341, sparse.chiSquare(), 1e-12);
        assertEquals(1, sparse.degreesOfFreedom());
        assertEquals(0.12112247142743007, sparse.pValue(), 1e-12);

        assertNull(Interactions.independence(new long[][] {{3, 4}, {0, 0}}), "one row with units: nothing to test");
    }

    @Test
    void cochransQ() {
        List<String> warnings = new ArrayList<>();
        Interactions.ChiSquare test = Interactions.homogeneity(List.of(new Interval(1.0, 0.5, null, null),
                new Interval(3.0, 1.0, null, null), new Interval(2.5, 0.8, null, null),
                new Interval(null, null, null, null)), warnings);
        assertEquals(4.640476190476191, test.chiSquare(), 1e-12);
        assertEquals(2, test.degreesOfFreedom());
        assertEquals(0.09825018991690998, test.pValue(), 1e-12);
        assertEquals(1, warnings.size(), "the undefined estimate is left out, and said so");

        // two estimates: Q is the square of the z statistic of their difference
        Interactions.ChiSquare two = Interactions.homogeneity(List.of(new Interval(1.0, 0.6, null, null),
                new Interval(2.0, 0.8, null, null)), new ArrayList<>());
        assertEquals(1.0 / (0.36 + 0.64), two.chiSquare(), 1e-12);

        assertNull(Interactions.homogeneity(List.of(new Interval(1.0, 0.5, null, null)), new ArrayList<>()));
    }
}
