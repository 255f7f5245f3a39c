package dev.pulse.stats;

import java.util.Objects;

/**
 * Whether a guardrail metric moved the wrong way: a one-sided t test of harm, in the direction opposite to the one
 * the metric should move ({@code H₁: Δ < 0} for a metric that should increase, {@code Δ > 0} for one that should
 * decrease), from the comparison's Δ, SE and Welch–Satterthwaite ν; for a metric without a direction, any change is
 * harm (two-sided). The comparison's own test is in the metric's good direction, so it cannot find harm: a one-sided
 * test for an increase never rejects for a drop (GrowthBook and Statsig test guardrails for regressions the same way).
 */
public final class GuardrailTest {

    private GuardrailTest() {}

    /**
     * The test of harm.
     *
     * @param pValue  {@code P(T_ν < Δ/SE)} (should increase), {@code P(T_ν > Δ/SE)} (should decrease), or the
     *                two-sided p-value; null when the comparison has no statistics
     * @param harmed  {@code pValue < alpha}
     */
    public record Result(Double pValue, boolean harmed) {}

    /** Tests {@code comparison} for harm against {@code good}, the direction the metric should move, at {@code alpha}. */
    public static Result test(Comparison comparison, Direction good, double alpha) {
        Objects.requireNonNull(comparison);
        Objects.requireNonNull(good);
        Interval absolute = comparison.absolute();
        Double nu = comparison.degreesOfFreedom();
        if (absolute.estimate() == null || absolute.stdError() == null || nu == null || !(absolute.stdError() > 0)) {
            return new Result(null, false);
        }
        double t = absolute.estimate() / absolute.stdError();
        double p = switch (good) {
            case INCREASE -> Distributions.studentUpperTail(-t, nu);
            case DECREASE -> Distributions.studentUpperTail(t, nu);
            case TWO_SIDED -> Distributions.studentTwoSidedPValue(t, nu);
        };
        return new Result(p, p < alpha);
    }
}
