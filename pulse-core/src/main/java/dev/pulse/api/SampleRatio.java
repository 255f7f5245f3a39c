package dev.pulse.api;

/**
 * The sample-ratio-mismatch check: a χ² test of the units per group against the expected shares
 * (docs/statistics.md).
 *
 * @param chiSquare        the χ² statistic
 * @param degreesOfFreedom the groups less one
 * @param pValue           the test's p-value
 * @param passed           whether no mismatch was found: the p-value is at least 0.001 and no group is empty
 */
public record SampleRatio(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
}
