package dev.pulse.stats;

import java.util.Objects;

/** Pearson χ² test of observed unit counts against expected shares (docs/statistics.md#sample-ratio-mismatch). */
public final class SampleRatioMismatch {
    /** SRM is flagged when the p-value is below this. */
    public static final double THRESHOLD = 0.001;

    /** How far the expected shares may sum from 1 (they are then rescaled to sum to exactly 1). */
    static final double SHARE_SUM_TOLERANCE = 1e-6;

    private SampleRatioMismatch() {}

    /**
     * The test's result; {@code passed} is {@code pValue >= THRESHOLD} and every group has a unit.
     *
     * @param chiSquare Pearson's statistic {@code Σ (O_i − E_i)² / E_i}, {@code >= 0}
     * @param degreesOfFreedom {@code k − 1} for k groups
     * @param pValue {@code P(χ²_{k−1} > chiSquare)}, in [0, 1]
     * @param passed {@code pValue >= THRESHOLD} and no group is empty
     */
    public record Result(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
    }

    /**
     * Tests {@code observed[i]} units against {@code expectedShares[i]} (shares sum to 1).
     *
     * <p>With {@code N = Σ O_i} and {@code E_i = N·p_i}: {@code χ² = Σ (O_i − E_i)² / E_i} with
     * {@code k − 1} degrees of freedom, p-value {@code Q((k − 1)/2, χ²/2)} (upper regularized gamma;
     * Pearson, Phil. Mag. 50, 1900; the SRM check of Fabijan et al., "Diagnosing Sample Ratio
     * Mismatch in Online Controlled Experiments", KDD 2019). A group with 0 observed units is an
     * ordinary term ({@code E_i}) of χ², but the check never passes: a group with a positive expected
     * share and no unit at all is a mismatch whatever the p-value (with few units χ² alone could not
     * tell, say 1 unit against 0). With no units at all ({@code N = 0}) there is no evidence either way
     * and no test: that is an error.
     *
     * @param observed unit counts per group, each {@code >= 0}, at least 2 groups
     * @param expectedShares expected share per group, same length, each finite and {@code > 0},
     *     summing to 1 within {@value #SHARE_SUM_TOLERANCE} (they are rescaled to sum to exactly 1)
     * @throws IllegalArgumentException if the arguments break any of these preconditions, or there are
     *     no units at all
     * @throws NullPointerException if an array is null
     */
    public static Result test(long[] observed, double[] expectedShares) {
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(expectedShares, "expectedShares");
        int groups = observed.length;
        if (groups < 2) {
            throw new IllegalArgumentException("need at least 2 groups, got " + groups);
        }
        if (expectedShares.length != groups) {
            throw new IllegalArgumentException(groups + " observed counts but " + expectedShares.length
                    + " expected shares");
        }
        double shareSum = 0.0;
        double total = 0.0;
        for (int i = 0; i < groups; i++) {
            if (observed[i] < 0) {
                throw new IllegalArgumentException("observed count " + i + " is negative: " + observed[i]);
            }
            if (!(Double.isFinite(expectedShares[i]) && expectedShares[i] > 0.0)) {
                throw new IllegalArgumentException("expected share " + i + " must be finite and > 0, got "
                        + expectedShares[i]);
            }
            shareSum += expectedShares[i];
            total += observed[i];
        }
        if (Math.abs(shareSum - 1.0) > SHARE_SUM_TOLERANCE) {
            throw new IllegalArgumentException("expected shares must sum to 1, got " + shareSum);
        }
        int degreesOfFreedom = groups - 1;
        if (!(total > 0.0)) {
            throw new IllegalArgumentException("no units in any group: the check has no evidence either way");
        }
        double chiSquare = 0.0;
        boolean empty = false;
        for (int i = 0; i < groups; i++) {
            empty |= observed[i] == 0;
            double expected = total * expectedShares[i] / shareSum;
            double deviation = observed[i] - expected;
            chiSquare += deviation * deviation / expected;
        }
        double pValue = Distributions.chiSquareUpperTail(chiSquare, degreesOfFreedom);
        return new Result(chiSquare, degreesOfFreedom, pValue, pValue >= THRESHOLD && !empty);
    }
}
