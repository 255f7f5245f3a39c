package dev.pulse.stats;

/**
 * Welch-type comparison of two groups' ratio-of-means values with delta-method variances
 * (Deng, Knoblich &amp; Lu, KDD 2018, §3). See DESIGN §5 for every formula.
 */
public final class DeltaMethodComparison {
    private DeltaMethodComparison() {}

    /** Compares {@code treatment} with {@code control} at two-sided level {@code alpha}. */
    public static Comparison compare(GroupMoments control, GroupMoments treatment, double alpha) {
        throw new UnsupportedOperationException("TODO");
    }
}
