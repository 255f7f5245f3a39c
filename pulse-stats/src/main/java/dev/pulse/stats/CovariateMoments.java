package dev.pulse.stats;

import java.util.Objects;

/**
 * One group's moments of a metric in the analysis period (X, Y) and in a pre-period (X₀, Y₀) over
 * the same units, with the four cross covariances between the periods (divisor n − 1). These are the
 * sufficient statistics for CUPED / regression adjustment of ratio metrics (Deng, Xu, Kohavi &amp;
 * Walker, WSDM 2013, Appendix B). For {@code Y ≡ 1} metrics Y₀ ≡ 1 too, and every covariance
 * involving Y or Y₀ is 0.
 *
 * <p>With shifted moments ({@link GroupMoments#shift}: those of {@code X̃ = X − c·Y} and
 * {@code X̃₀ = X₀ − c₀·Y₀}) the cross covariances are those of the shifted values too:
 * {@code cov(X̃, X̃₀)}, {@code cov(X̃, Y₀)}, {@code cov(Y, X̃₀)}, {@code cov(Y, Y₀)}.
 *
 * @param covXX0 cov(X, X₀)
 * @param covXY0 cov(X, Y₀)
 * @param covYX0 cov(Y, X₀)
 * @param covYY0 cov(Y, Y₀)
 */
public record CovariateMoments(GroupMoments post, GroupMoments pre,
                               double covXX0, double covXY0, double covYX0, double covYY0) {
    public CovariateMoments {
        Objects.requireNonNull(post);
        Objects.requireNonNull(pre);
        if (post.n() != pre.n()) {
            throw new IllegalArgumentException("pre and post moments must be over the same units: "
                    + pre.n() + " vs " + post.n());
        }
        if (!(Double.isFinite(covXX0) && Double.isFinite(covXY0) && Double.isFinite(covYX0) && Double.isFinite(covYY0))) {
            throw new IllegalArgumentException("cross covariances must be finite");
        }
    }

    /**
     * The same moments measured from other shifts ({@link GroupMoments#withShift}): with
     * {@code d = c − c'} and {@code d₀ = c₀ − c₀'}, {@code X̃' = X̃ + d·Y} and {@code X̃₀' = X̃₀ + d₀·Y₀}, so
     * {@code cov(X̃', X̃₀') = covXX0 + d₀·covXY0 + d·covYX0 + d·d₀·covYY0}, {@code cov(X̃', Y₀) = covXY0 + d·covYY0},
     * {@code cov(Y, X̃₀') = covYX0 + d₀·covYY0}. Returns this when both shifts are unchanged.
     */
    public CovariateMoments withShifts(double postShift, double preShift) {
        if (Double.compare(postShift, post.shift()) == 0 && Double.compare(preShift, pre.shift()) == 0) {
            return this;
        }
        double d = post.shift() - postShift;
        double d0 = pre.shift() - preShift;
        return new CovariateMoments(post.withShift(postShift), pre.withShift(preShift),
                covXX0 + d0 * covXY0 + d * covYX0 + d * d0 * covYY0, covXY0 + d * covYY0, covYX0 + d0 * covYY0, covYY0);
    }

    /**
     * The moments of the union of two disjoint sets of units, exactly (up to rounding): the periods' moments merge as
     * {@link GroupMoments#merge} does, and each cross covariance by the same update applied to cross products
     * (Chan, Golub &amp; LeVeque, STAN-CS-79-773, 1979, eq. 2.1): {@code C_ab = C_ab,1 + C_ab,2 + δa δb·n₁n₂/N} for the
     * centered sums {@code C = (n − 1)·cov}. The result has this set's shifts; merging with no units returns the other.
     */
    public CovariateMoments merge(CovariateMoments other) {
        if (other.post.n() == 0) {
            return this;
        }
        if (post.n() == 0) {
            return other;
        }
        other = other.withShifts(post.shift(), pre.shift());
        long first = post.n();
        long second = other.post.n();
        long total = first + second;
        double cross = (double) first * second / total;
        double deltaX = other.post.meanX() - post.meanX();
        double deltaY = other.post.meanY() - post.meanY();
        double deltaX0 = other.pre.meanX() - pre.meanX();
        double deltaY0 = other.pre.meanY() - pre.meanY();
        return new CovariateMoments(post.merge(other.post), pre.merge(other.pre),
                merged(covXX0, other.covXX0, first, second, deltaX * deltaX0 * cross),
                merged(covXY0, other.covXY0, first, second, deltaX * deltaY0 * cross),
                merged(covYX0, other.covYX0, first, second, deltaY * deltaX0 * cross),
                merged(covYY0, other.covYY0, first, second, deltaY * deltaY0 * cross));
    }

    private static double merged(double first, double second, long firstUnits, long secondUnits, double between) {
        return (first * (firstUnits - 1) + second * (secondUnits - 1) + between) / (firstUnits + secondUnits - 1);
    }
}
