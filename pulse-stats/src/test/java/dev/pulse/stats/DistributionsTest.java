package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertRelative;

import org.junit.jupiter.api.Test;

/**
 * Student-t quantiles and tails, including the normal fallback above 10⁷ degrees of freedom, against
 * scipy 1.17.1: {@code stats.t.ppf(0.975, ν)}, {@code 2*stats.t.sf(x, ν)}, {@code stats.chi2.sf(x, k)}.
 * commons-math's t quantile drifts as ν grows (about 1e-9 relative at ν = 9·10⁶, p-values 2e-9), still far inside
 * the 1e-6 the comparisons promise and better than the normal there (≈ 2.4e-6 at ν = 10⁶).
 */
class DistributionsTest {

    /** Rows: ν, t(0.975, ν), 2·P(T_ν > 2.5), 2·P(T_ν > 9). */
    private static final double[][] STUDENT = {
        {1.5, 6.016663104427929, 0.16980650261469604, 0.027658755205530988},
        {30, 2.0422724563012378, 0.01811564906806669, 5.014831916147889e-10},
        {1e3, 1.9623390808264083, 0.012578567801090807, 1.1129077171871453e-18},
        {1e5, 1.9599877075346095, 0.012420919192559051, 2.295409005023148e-19},
        {1e6, 1.959966356814107, 0.012419489502163254, 2.2609730334928616e-19},
        {9e6, 1.9599642481257809, 0.012419348301581852, 2.25759831946166e-19},
        {2e7, 1.959964103153622, 0.012419338594064402, 2.2573664811894747e-19},
        {1e9, 1.959963986912325, 0.012419330810402493, 2.2571806051471215e-19},
    };

    @Test
    void studentAgainstScipy() {
        for (double[] row : STUDENT) {
            double nu = row[0];
            boolean normal = nu > Distributions.NORMAL_APPROXIMATION_DEGREES;
            // Normal fallback: quantile off by ≈ (z³ + z)/(4ν) ≤ 1.2e-7 relative at ν = 2·10⁷; the
            // p-value at 2.5 by ≈ (x⁴ + …)/(4ν) relative; at 9 (p ≈ 2e-19) by ≈ 9⁴/(4ν) ≈ 1e-4.
            assertRelative(row[1], Distributions.studentQuantile(0.975, nu), normal ? 2e-7 : 1e-8, "quantile nu=" + nu);
            assertRelative(row[2], Distributions.studentTwoSidedPValue(2.5, nu), normal ? 2e-6 : 1e-8, "p(2.5) nu=" + nu);
            assertRelative(row[3], Distributions.studentTwoSidedPValue(-9.0, nu), normal ? 2e-4 : 1e-6, "p(9) nu=" + nu);
        }
        // A tiny two-sided p-value keeps its relative accuracy: scipy 2*stats.t.sf(12, 50).
        assertRelative(2.462380625332543e-16, Distributions.studentTwoSidedPValue(12.0, 50), 1e-8, "p(12) nu=50");
    }

    @Test
    void chiSquareTailAgainstScipy() {
        assertRelative(4.218541107192018e-43, Distributions.chiSquareUpperTail(200, 3), 1e-9, "scipy stats.chi2.sf(200, 3)");
        assertRelative(Math.exp(-1.0), Distributions.chiSquareUpperTail(2, 2), 1e-14, "chi2_2 tail is exp(-x/2)");
    }
}
