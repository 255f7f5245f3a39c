package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardrailTest} against printed t tables: {@code P(T_10 > 2) = 0.0366940} (one-sided, e.g. scipy
 * {@code stats.t.sf(2, 10)} = 0.03669401738537), and {@code 2·P(T_10 > 2) = 0.0733880}.
 */
class GuardrailTestTest {

    private static Comparison comparison(double estimate, double se, double nu) {
        Interval absolute = new Interval(estimate, se, estimate - 2 * se, estimate + 2 * se);
        Interval relative = new Interval(null, null, null, null);
        return new Comparison(10.0, 10.0 + estimate, 100, 100, absolute, relative, nu, null, false, List.of());
    }

    @Test
    void aDropIsHarmForAMetricThatShouldIncrease() {
        GuardrailTest.Result result = GuardrailTest.test(comparison(-2, 1, 10), Direction.INCREASE, 0.05);
        assertEquals(0.03669401738537, result.pValue(), 1e-9);
        assertTrue(result.harmed());
        // the same drop is no harm for a metric that should decrease: P(T_10 > -2) = 1 - 0.0367
        GuardrailTest.Result good = GuardrailTest.test(comparison(-2, 1, 10), Direction.DECREASE, 0.05);
        assertEquals(1 - 0.03669401738537, good.pValue(), 1e-9);
        assertFalse(good.harmed());
    }

    @Test
    void withoutADirectionAnyChangeIsHarmAtTheTwoSidedLevel() {
        GuardrailTest.Result result = GuardrailTest.test(comparison(2, 1, 10), Direction.TWO_SIDED, 0.05);
        assertEquals(2 * 0.03669401738537, result.pValue(), 1e-9);
        assertFalse(result.harmed());
        assertTrue(GuardrailTest.test(comparison(2, 1, 10), Direction.TWO_SIDED, 0.1).harmed());
    }

    @Test
    void noStatisticsNoVerdict() {
        Comparison none = new Comparison(null, null, 0, 0, new Interval(null, null, null, null),
                new Interval(null, null, null, null), null, null, false, List.of());
        assertNull(GuardrailTest.test(none, Direction.INCREASE, 0.05).pValue());
        assertFalse(GuardrailTest.test(none, Direction.INCREASE, 0.05).harmed());
    }
}
