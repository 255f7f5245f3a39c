package dev.pulse.stats;

/**
 * Sufficient statistics of one group for one metric: over the group's {@code n} units, the means of
 * the per-unit numerator X and denominator Y, their sample variances and covariance (divisor n − 1).
 * A metric with {@code Y ≡ 1} has {@code meanY = 1}, {@code varY = covXY = 0}.
 *
 * <p><b>Shift.</b> The X moments may be those of {@code X − c·Y} for a constant {@code c}, the {@link #shift}:
 * then {@code meanX}, {@code varX} and {@code covXY} describe {@code X − c·Y}, and the group value is
 * {@code R = c + meanX/meanY} ({@link #value}). The warehouse shifts by a pilot value near R (issue 10, §3):
 * when values are large against their spread, the moments of raw X carry no digits of the spread
 * ({@code s_xx − 2R s_xy + R² s_yy} cancels), those of {@code X − c·Y} keep them. Every figure computed
 * here is the same for every shift up to rounding, since {@code X − R·Y = (X − c·Y) − (R − c)·Y}: the
 * formulas use {@code R − c = meanX/meanY} wherever R multiplies a moment.
 *
 * <p>Rules enforced by the constructor (each violation throws {@link IllegalArgumentException}):
 * <ul>
 *   <li>{@code n >= 0} and every other component is finite (no NaN, no infinity);</li>
 *   <li>{@code varX >= 0} and {@code varY >= 0}: a negative variance is rejected, not clamped. Only
 *       {@link #ofSums}, which subtracts large sums, clamps a negative result of cancellation to 0;
 *       warehouse aggregates ({@code VAR_SAMP}) use stable updates and never return one;</li>
 *   <li>Cauchy–Schwarz: {@code covXY² <= varX · varY · (1 + 1e-9)}; the slack absorbs rounding of
 *       perfectly correlated data, a larger covariance means the inputs do not belong together.</li>
 * </ul>
 * Variances and covariance of a group with fewer than 2 units are undefined: whatever finite value
 * is passed, they are <em>stored as 0</em> and {@link #n()} tells the caller (docs/statistics.md#undefined-cases:
 * such a group yields a null statistic with a warning). The means of a group with no units are meaningless and
 * are not checked beyond being finite.
 *
 * @param n number of units, {@code >= 0}
 * @param meanX mean of the per-unit numerator X
 * @param meanY mean of the per-unit denominator Y (1 for {@code Y ≡ 1})
 * @param varX sample variance of X, divisor n − 1
 * @param varY sample variance of Y, divisor n − 1
 * @param covXY sample covariance of X and Y, divisor n − 1
 * @param shift the constant c: the X moments are those of {@code X − c·Y}; 0 for raw X
 */
public record GroupMoments(long n, double meanX, double meanY, double varX, double varY, double covXY, double shift) {

    /** Relative slack allowed in the Cauchy–Schwarz check of the covariance, for rounding. */
    static final double COVARIANCE_SLACK = 1e-9;

    /**
     * Relative size, against the larger operand, of a cancellation error that {@link #ofSums}
     * tolerates (and clamps) when a variance comes out negative or a covariance slightly breaks
     * Cauchy–Schwarz. The typical rounding of summing n values in double precision, about
     * {@code √n · 2⁻⁵³} of the sum, stays far below this even for n = 10⁹.
     */
    static final double CANCELLATION_TOLERANCE = 1e-8;

    /** Validates the moments; see the class comment for each rule. */
    public GroupMoments {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        requireFinite("meanX", meanX);
        requireFinite("meanY", meanY);
        requireFinite("varX", varX);
        requireFinite("varY", varY);
        requireFinite("covXY", covXY);
        requireFinite("shift", shift);
        if (n < 2) {
            varX = 0.0;
            varY = 0.0;
            covXY = 0.0;
        }
        if (varX < 0.0) {
            throw new IllegalArgumentException("varX must be >= 0, got " + varX);
        }
        if (varY < 0.0) {
            throw new IllegalArgumentException("varY must be >= 0, got " + varY);
        }
        if (covXY * covXY > varX * varY * (1.0 + COVARIANCE_SLACK)) {
            throw new IllegalArgumentException("covXY " + covXY + " violates Cauchy-Schwarz with varX "
                    + varX + " and varY " + varY);
        }
    }

    /** Moments of raw X (shift 0); see the class comment for the rules. */
    public GroupMoments(long n, double meanX, double meanY, double varX, double varY, double covXY) {
        this(n, meanX, meanY, varX, varY, covXY, 0.0);
    }

    /**
     * Moments of a metric with {@code Y ≡ 1}: {@code meanY = 1}, {@code varY = covXY = 0}
     * (docs/metric-types.md, the {@code sum}, {@code count}, {@code count_distinct} and {@code unit_count} types).
     *
     * @param n units, {@code >= 0}
     * @param meanX mean of X over the units, finite
     * @param varX sample variance of X (divisor n − 1), finite and {@code >= 0}; ignored when n < 2
     */
    public static GroupMoments ofUnitDenominator(long n, double meanX, double varX) {
        return ofUnitDenominator(n, meanX, varX, 0.0);
    }

    /**
     * Moments of a metric with {@code Y ≡ 1} whose X moments are those of {@code X − shift}: the group value
     * is {@code shift + meanX}.
     */
    public static GroupMoments ofUnitDenominator(long n, double meanX, double varX, double shift) {
        return new GroupMoments(n, meanX, 1.0, varX, 0.0, 0.0, shift);
    }

    /**
     * The group value {@code R = shift + meanX/meanY} (for raw moments {@code x̄/ȳ}); NaN when
     * {@code meanY = 0} or the group has no units — callers check those first.
     */
    public double value() {
        if (n == 0 || !(Math.abs(meanY) > 0.0)) {
            return Double.NaN;
        }
        return shift + meanX / meanY;
    }

    /**
     * The same moments with the X moments of {@code X − newShift·Y}: with {@code d = shift − newShift},
     * {@code meanX + d·meanY}, {@code varX + 2d·covXY + d²·varY}, {@code covXY + d·varY} (exact algebra;
     * in floating point it cancels as raw moments do when d is large against the spread, so shifts are
     * best chosen equal up front). Returns this when the shifts are equal.
     */
    public GroupMoments withShift(double newShift) {
        if (Double.compare(newShift, shift) == 0) {
            return this;
        }
        double d = shift - newShift;
        double newVarX = Math.max(0.0, varX + 2.0 * d * covXY + d * d * varY);
        double newCovXY = clampCovariance(covXY + d * varY, newVarX, varY);
        return new GroupMoments(n, meanX + d * meanY, meanY, newVarX, varY, newCovXY, newShift);
    }

    /**
     * Moments from raw sums over units (the {@code pulse stats} input of docs/cli.md#pulse-stats-input):
     * {@code x̄ = ΣX/n}, {@code ȳ = ΣY/n}, {@code s_xx = (ΣX² − (ΣX)²/n)/(n − 1)},
     * {@code s_yy = (ΣY² − (ΣY)²/n)/(n − 1)}, {@code s_xy = (ΣXY − ΣX·ΣY/n)/(n − 1)}; for n < 2 the
     * variances and covariance are 0 and for n = 0 the means are 0.
     *
     * <p>These textbook formulas cancel catastrophically when a mean is large next to its spread
     * (Chan, Golub &amp; LeVeque, "Algorithms for computing the sample variance", Am. Stat. 37(3), 1983);
     * prefer warehouse {@code AVG}/{@code VAR_SAMP}/{@code COVAR_SAMP} where available (docs/statistics.md#per-group).
     * A negative variance within {@link #CANCELLATION_TOLERANCE} of the subtracted terms is rounding
     * and becomes 0; a covariance that exceeds {@code √(s_xx s_yy)} by such rounding is clamped to it.
     *
     * @throws IllegalArgumentException if n < 0, a sum is not finite, {@code ΣX² < 0} or {@code ΣY² < 0},
     *     n = 0 with a non-zero sum, or the sums are inconsistent beyond rounding (negative variance,
     *     covariance breaking Cauchy–Schwarz)
     */
    public static GroupMoments ofSums(long n, double sumX, double sumX2, double sumY, double sumY2, double sumXY) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        requireFinite("sumX", sumX);
        requireFinite("sumX2", sumX2);
        requireFinite("sumY", sumY);
        requireFinite("sumY2", sumY2);
        requireFinite("sumXY", sumXY);
        if (sumX2 < 0.0 || sumY2 < 0.0) {
            throw new IllegalArgumentException("sums of squares must be >= 0, got " + sumX2 + " and " + sumY2);
        }
        if (n == 0) {
            if (!isExactlyZero(sumX) || !isExactlyZero(sumX2) || !isExactlyZero(sumY)
                    || !isExactlyZero(sumY2) || !isExactlyZero(sumXY)) {
                throw new IllegalArgumentException("a group with no units must have all sums 0");
            }
            return new GroupMoments(0, 0.0, 0.0, 0.0, 0.0, 0.0);
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        if (n < 2) {
            return new GroupMoments(n, meanX, meanY, 0.0, 0.0, 0.0);
        }
        double varX = centeredSquares("X", sumX2, sumX * meanX) / (n - 1);
        double varY = centeredSquares("Y", sumY2, sumY * meanY) / (n - 1);
        double covXY = (sumXY - sumX * meanY) / (n - 1);
        double bound = Math.sqrt(varX) * Math.sqrt(varY);
        if (Math.abs(covXY) > bound) {
            double scale = (Math.abs(sumXY) + Math.abs(sumX * meanY)) / (n - 1);
            if (Math.abs(covXY) - bound > CANCELLATION_TOLERANCE * scale) {
                throw new IllegalArgumentException("sum_xy " + sumXY
                        + " is inconsistent with the other sums (covariance breaks Cauchy-Schwarz)");
            }
            covXY = Math.copySign(bound, covXY);
        }
        return new GroupMoments(n, meanX, meanY, varX, varY, covXY);
    }

    /**
     * Moments of a metric with {@code Y ≡ 1} from raw sums (docs/cli.md#pulse-stats-input, where the {@code *_y*} fields
     * are omitted): equivalent to {@code ofSums(n, sumX, sumX2, n, n, sumX)} but with {@code meanY = 1}
     * and {@code varY = covXY = 0} exactly, not up to rounding.
     *
     * @throws IllegalArgumentException as {@link #ofSums(long, double, double, double, double, double)}
     */
    public static GroupMoments ofSums(long n, double sumX, double sumX2) {
        GroupMoments general = ofSums(n, sumX, sumX2, n, n, sumX);
        return ofUnitDenominator(n, general.meanX(), general.varX());
    }

    /**
     * The moments of the union of two disjoint sets of units, exactly (up to rounding): with
     * {@code N = n_a + n_b}, {@code δx = x̄_b − x̄_a}, {@code δy = ȳ_b − ȳ_a},
     * {@code x̄ = x̄_a + δx·n_b/N}, {@code M_xx = M_xx,a + M_xx,b + δx²·n_a n_b/N},
     * {@code C_xy = C_xy,a + C_xy,b + δx δy·n_a n_b/N}, where {@code M = (n − 1)·s} are the centered
     * sums; the result divides by N − 1. Chan, Golub &amp; LeVeque, "Updating formulae and a pairwise
     * algorithm for computing sample variances", Stanford STAN-CS-79-773 (1979), eq. 2.1; the
     * covariance form is the same update applied to cross products.
     *
     * <p>Merging with a group of no units returns the other group unchanged. The result has this group's
     * shift; the other group is brought to it first ({@link #withShift}).
     */
    public GroupMoments merge(GroupMoments other) {
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            return other;
        }
        other = other.withShift(shift);
        long total = n + other.n;
        double weightOther = (double) other.n / total;
        double deltaX = other.meanX - meanX;
        double deltaY = other.meanY - meanY;
        double cross = (double) n * other.n / total;
        double centeredXX = varX * (n - 1) + other.varX * (other.n - 1) + deltaX * deltaX * cross;
        double centeredYY = varY * (n - 1) + other.varY * (other.n - 1) + deltaY * deltaY * cross;
        double centeredXY = covXY * (n - 1) + other.covXY * (other.n - 1) + deltaX * deltaY * cross;
        return new GroupMoments(
                total,
                meanX + deltaX * weightOther,
                meanY + deltaY * weightOther,
                centeredXX / (total - 1),
                centeredYY / (total - 1),
                clampCovariance(centeredXY / (total - 1), centeredXX / (total - 1), centeredYY / (total - 1)),
                shift);
    }

    private static double clampCovariance(double cov, double varX, double varY) {
        double bound = Math.sqrt(varX) * Math.sqrt(varY);
        return Math.abs(cov) > bound ? Math.copySign(bound, cov) : cov;
    }

    private static double centeredSquares(String name, double sumSquares, double correction) {
        double centered = sumSquares - correction;
        if (centered >= 0.0) {
            return centered;
        }
        if (-centered <= CANCELLATION_TOLERANCE * sumSquares) {
            return 0.0;
        }
        throw new IllegalArgumentException("sum of squares of " + name + " (" + sumSquares
                + ") is less than (sum)²/n (" + correction + "): the sums are inconsistent");
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    /** Exact comparison on purpose: a sum over zero units is exactly 0, anything else is an error. */
    private static boolean isExactlyZero(double value) {
        return Double.compare(Math.abs(value), 0.0) == 0;
    }
}
