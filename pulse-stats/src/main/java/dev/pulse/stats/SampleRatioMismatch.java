package dev.pulse.stats;

/** Pearson χ² test of observed unit counts against expected shares (DESIGN §5). */
public final class SampleRatioMismatch {
    /** SRM is flagged when the p-value is below this. */
    public static final double THRESHOLD = 0.001;

    private SampleRatioMismatch() {}

    /** The test's result; {@code passed} is {@code pValue >= THRESHOLD}. */
    public record Result(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
    }

    /** Tests {@code observed[i]} units against {@code expectedShares[i]} (shares sum to 1). */
    public static Result test(long[] observed, double[] expectedShares) {
        throw new UnsupportedOperationException("TODO");
    }
}
