package dev.pulse.stats;

/**
 * Sufficient statistics of one group for one metric: over the group's {@code n} units, the means of
 * the per-unit numerator X and denominator Y, their sample variances and covariance (divisor n − 1).
 * A metric with {@code Y ≡ 1} has {@code meanY = 1}, {@code varY = covXY = 0}.
 *
 * <p>Variances of a group with fewer than 2 units are undefined; they are stored as 0 and
 * {@link #n()} tells the caller (DESIGN §5: such a group yields a null statistic with a warning).
 */
public record GroupMoments(long n, double meanX, double meanY, double varX, double varY, double covXY) {

    public GroupMoments {
        // TODO: validate
    }

    /** Moments of a metric with {@code Y ≡ 1}. */
    public static GroupMoments ofUnitDenominator(long n, double meanX, double varX) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Moments from raw sums over units (the {@code pulse stats} input of DESIGN §6).
     */
    public static GroupMoments ofSums(long n, double sumX, double sumX2, double sumY, double sumY2, double sumXY) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The moments of the union of two disjoint sets of units (Chan, Golub &amp; LeVeque pairwise update). */
    public GroupMoments merge(GroupMoments other) {
        throw new UnsupportedOperationException("TODO");
    }
}
