package dev.pulse.stats;

/** How the confidence interval of the relative lift {@code L = R_t/R_c − 1} is built. */
public enum RelativeInterval {
    /**
     * Delta method (docs/statistics.md): {@code L ± t·SE_L} with {@code SE_L = √(V_t/R_c² + R_t² V_c/R_c⁴)}.
     * Symmetric; under-covers when the control mean is noisy.
     */
    DELTA,
    /**
     * Fieller's theorem for the ratio of two independent normal estimates (Fieller, "Some problems in
     * interval estimation", JRSS B 16(2), 1954; in the form of Franz, "Ratios: a short guide to
     * confidence limits and proper use", arXiv:0710.2024, 2007, eq. 6): with {@code r = R_t/R_c} and
     * {@code g = t² V_c / R_c²}, for {@code g < 1} the limits of {@code R_t/R_c} are
     * {@code [r ± (t/|R_c|)·√((1 − g)·V_t + r² V_c)] / (1 − g)}, minus 1 for the lift. For
     * {@code g >= 1} the confidence set is unbounded (the whole line, or the complement of an
     * interval, which is reported as the whole line): both ends null and flagged unbounded, warning
     * "relative interval unbounded (control too noisy)".
     */
    FIELLER
}
