package dev.pulse.stats;

/**
 * The alternative hypothesis of a test about a difference {@code Δ = R_t − R_c}, and the matching
 * shape of its confidence interval.
 */
public enum Direction {
    /** {@code H₁: Δ ≠ 0}; p-value {@code 2·P(T_ν > |Δ/SE|)}, interval {@code Δ ± t(1 − α/2, ν)·SE}. */
    TWO_SIDED,
    /**
     * {@code H₁: Δ > 0}; p-value {@code P(T_ν > Δ/SE)}, interval {@code [Δ − t(1 − α, ν)·SE, +∞)}
     * (upper end null and flagged unbounded in {@link Interval}).
     */
    INCREASE,
    /**
     * {@code H₁: Δ < 0}; p-value {@code P(T_ν < Δ/SE)}, interval {@code (−∞, Δ + t(1 − α, ν)·SE]}
     * (lower end null and flagged unbounded in {@link Interval}).
     */
    DECREASE
}
