package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Moments of shifted values ({@link GroupMoments#shift}): the moments of {@code X − c·Y} give the same figures
 * as those of X for every c, and keep the standard error when values are large against their spread, where the
 * moments of X lose it (issue 10, §3).
 */
class ShiftedMomentsTest {

    /** Seeded random moments of (X, Y) per group, shifted by several c: every figure is unchanged. */
    @Test
    void everyFigureIsTheSameForEveryShift() {
        long seed = 20261206L;
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            GroupMoments control = randomMoments(random);
            GroupMoments treatment = randomMoments(random);
            DeltaMethodComparison.Options options = DeltaMethodComparison.Options.of(0.05)
                    .withRelativeInterval(round % 2 == 0 ? RelativeInterval.DELTA : RelativeInterval.FIELLER);
            Comparison raw = DeltaMethodComparison.compare(control, treatment, options);
            for (double shift : new double[] {-3.5, 0.25, control.value(), 17.0}) {
                Comparison shifted = DeltaMethodComparison.compare(control.withShift(shift), treatment.withShift(shift),
                        options);
                String where = "seed " + seed + " round " + round + " shift " + shift;
                assertClose(raw.controlMean(), shifted.controlMean(), where + " control");
                assertClose(raw.absolute().estimate(), shifted.absolute().estimate(), where + " difference");
                assertClose(raw.absolute().stdError(), shifted.absolute().stdError(), where + " SE");
                assertClose(raw.relative().estimate(), shifted.relative().estimate(), where + " relative");
                assertClose(raw.relative().stdError(), shifted.relative().stdError(), where + " relative SE");
                assertClose(raw.relative().lower(), shifted.relative().lower(), where + " relative lower");
                assertClose(raw.pValue(), shifted.pValue(), where + " p");
            }
        }
    }

    /** CUPED on shifted moments (post and pre shifted differently, arms by different amounts) equals CUPED on raw ones. */
    @Test
    void regressionAdjustmentIsTheSameForEveryShift() {
        Random random = new Random(7L);
        for (int round = 0; round < 100; round++) {
            Map<String, CovariateMoments> raw = new LinkedHashMap<>();
            Map<String, CovariateMoments> shifted = new LinkedHashMap<>();
            for (String arm : new String[] {"control", "treat"}) {
                GroupMoments post = randomMoments(random);
                GroupMoments pre = new GroupMoments(post.n(), 1 + random.nextDouble(), 1 + random.nextDouble(), 2.0, 1.0,
                        0.3);
                CovariateMoments moments = new CovariateMoments(post, pre, 0.4, 0.1, 0.2, 0.05);
                raw.put(arm, moments);
                double offset = arm.equals("control") ? 0.0 : 0.5;
                shifted.put(arm, moments.withShifts(post.value() + offset, pre.value() - offset));
            }
            RegressionAdjustment.Result expected = RegressionAdjustment.compare(raw, "control", 0.05);
            RegressionAdjustment.Result actual = RegressionAdjustment.compare(shifted, "control", 0.05);
            String where = "seed 7 round " + round;
            assertClose(expected.theta(), actual.theta(), where + " theta");
            assertClose(expected.pooledPreValue(), actual.pooledPreValue(), where + " pooled pre-period value");
            Comparison e = expected.comparisons().get(0).adjusted();
            Comparison a = actual.comparisons().get(0).adjusted();
            assertClose(e.absolute().estimate(), a.absolute().estimate(), where + " adjusted difference");
            assertClose(e.absolute().stdError(), a.absolute().stdError(), where + " adjusted SE");
            assertClose(e.treatmentMean(), a.treatmentMean(), where + " adjusted treatment value");
        }
    }

    /**
     * A mean of values near 10¹²: per unit X = Σ(10¹² + v) over k rows, Y = k. Units with (k, Σv) =
     * (1, 1), (2, 5), (3, 6), (2, 2) in each group (treatment: Σv + k). Worked by hand with the linearized
     * values {@code X − R·Y = Σv − r·k} (r = ΣΣv/Σk = 14/8 in control, 22/8 in treatment): control residuals
     * −0.75, 1.5, 0.75, −1.5, Σ² = 5.625, s² = 1.875, V_c = 1.875/(4·2²) = 0.1171875, and the same in
     * treatment (the residuals do not change); SE = √0.234375.
     */
    @Test
    void shiftedMomentsKeepTheStandardErrorOfLargeValues() {
        double offset = 1e12;
        double[][] control = {{1, 1}, {2, 5}, {3, 6}, {2, 2}};
        double[][] treatment = {{1, 2}, {2, 7}, {3, 9}, {2, 4}};
        double expected = Math.sqrt(0.234375);
        // raw moments of X = k·10¹² + Σv: the variance numerator cancels to nothing
        Comparison raw = DeltaMethodComparison.compare(moments(control, offset, 0), moments(treatment, offset, 0), 0.05);
        assertTrue(raw.absolute().stdError() == null || Math.abs(raw.absolute().stdError() - expected) > 1e-3 * expected,
                "raw moments of 1e12-sized values were expected to lose the standard error: " + raw.absolute().stdError());
        // moments of X − c·Y with the pooled pilot c = ΣX/ΣY, as the warehouse computes them
        double pilot = offset + 36.0 / 16.0;
        Comparison shifted = DeltaMethodComparison.compare(moments(control, offset, pilot), moments(treatment, offset, pilot),
                0.05);
        assertNotNull(shifted.absolute().stdError());
        assertEquals(expected, shifted.absolute().stdError(), 1e-9 * expected);
        assertEquals(1.0, shifted.absolute().estimate(), 1e-9);
        assertEquals(offset + 14.0 / 8.0, shifted.controlMean(), 1e-3);
    }

    /**
     * Every unit converts in control (X = 1) and none in treatment (X = 0), pilot 1/3: PostgreSQL's
     * {@code VAR_SAMP} of the constant {@code 1 − 1/3} over 7 rows is 7.5e-33, not 0 (Youngs–Cramer sums carry
     * the rounding of 2/3). That is rounding of the shift, and the comparison says so as it does for raw
     * constant values.
     */
    @Test
    void aVarianceAtTheRoundingOfTheShiftIsZero() {
        double shift = 1.0 / 3;
        GroupMoments control = GroupMoments.ofUnitDenominator(7, 1 - shift, 7.512961002104874e-33, shift);
        GroupMoments treatment = GroupMoments.ofUnitDenominator(7, -shift, 7.512961002104874e-33, shift);
        Comparison comparison = DeltaMethodComparison.compare(control, treatment, 0.05);
        assertEquals(0.0, comparison.absolute().stdError());
        assertEquals(-1.0, comparison.absolute().estimate(), 1e-15);
        assertTrue(comparison.warnings().contains("zero variance in both groups: no interval or p-value"),
                comparison.warnings().toString());
        assertEquals(null, comparison.pValue());
    }

    @Test
    void withShiftOfTheSameShiftIsTheSameMoments() {
        GroupMoments moments = new GroupMoments(10, 1.0, 2.0, 3.0, 4.0, 1.0, 5.0);
        assertSame(moments, moments.withShift(5.0));
        GroupMoments back = moments.withShift(-2.0).withShift(5.0);
        assertClose(moments.meanX(), back.meanX(), "meanX");
        assertClose(moments.varX(), back.varX(), "varX");
        assertClose(moments.covXY(), back.covXY(), "covXY");
    }

    /**
     * The moments the warehouse would return for per-unit (k, Σv) rows with values {@code offset + v}: those of
     * {@code X − c·Y} (X = k·offset + Σv, Y = k), computed as a two-pass mean and variance in double precision.
     */
    private static GroupMoments moments(double[][] units, double offset, double pilot) {
        int n = units.length;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = units[i][0];
            x[i] = units[i][0] * offset + units[i][1] - pilot * y[i];
        }
        double meanX = mean(x);
        double meanY = mean(y);
        double varX = 0;
        double varY = 0;
        double covXY = 0;
        for (int i = 0; i < n; i++) {
            varX += (x[i] - meanX) * (x[i] - meanX) / (n - 1);
            varY += (y[i] - meanY) * (y[i] - meanY) / (n - 1);
            covXY += (x[i] - meanX) * (y[i] - meanY) / (n - 1);
        }
        double bound = Math.sqrt(varX * varY);
        covXY = Math.max(-bound, Math.min(bound, covXY));
        return new GroupMoments(n, meanX, meanY, varX, varY, covXY, pilot);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static GroupMoments randomMoments(Random random) {
        long n = 20 + random.nextInt(200);
        double varX = 0.5 + 10 * random.nextDouble();
        double varY = 0.1 + random.nextDouble();
        double correlation = 2 * random.nextDouble() - 1;
        return new GroupMoments(n, 5 + 10 * random.nextDouble(), 1 + random.nextDouble(), varX, varY,
                correlation * Math.sqrt(varX * varY) * 0.99);
    }

    private static void assertClose(Double expected, Double actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), where);
    }
}
