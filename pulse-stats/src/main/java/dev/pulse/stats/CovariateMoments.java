package dev.pulse.stats;

import java.util.Objects;

/**
 * One group's moments of a metric in the analysis period (X, Y) and in a pre-period (X₀, Y₀) over
 * the same units, with the four cross covariances between the periods (divisor n − 1). These are the
 * sufficient statistics for CUPED / regression adjustment of ratio metrics (Deng, Xu, Kohavi &amp;
 * Walker, WSDM 2013, Appendix B). For {@code Y ≡ 1} metrics Y₀ ≡ 1 too, and every covariance
 * involving Y or Y₀ is 0.
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
}
