package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tests between two experiments run on the same units (docs/interactions.md).
 *
 * <p><b>Independent assignments.</b> Pearson's χ² test of independence of the r × c table of units by group in one
 * experiment and group in the other: {@code χ² = Σ (O − E)²/E} with {@code E = row total · column total / n} and
 * {@code (r − 1)(c − 1)} degrees of freedom, no continuity correction (Pearson 1900; as scipy's
 * {@code chi2_contingency(correction=False)}). Rows or columns without units are left out first.
 *
 * <p><b>Homogeneous effects.</b> Cochran's Q test of whether K independent estimates of one effect (the treatment's
 * effect within each group of the other experiment) estimate the same thing (Cochran, "The combination of estimates
 * from different experiments", Biometrics 10(1):101–129, 1954): with weights {@code w_k = 1/SE_k²} and the weighted
 * mean {@code Δ̄ = Σ w_k Δ_k / Σ w_k}, {@code Q = Σ w_k (Δ_k − Δ̄)²} is χ² with K − 1 degrees of freedom when the
 * effects are equal. For K = 2 it is the square of {@code (Δ₁ − Δ₂)/√(SE₁² + SE₂²)}.
 */
public final class Interactions {
    private Interactions() {}

    /** A χ² test's figures. */
    public record ChiSquare(double chiSquare, int degreesOfFreedom, double pValue) {}

    /**
     * Pearson's test of independence of {@code counts[row][column]}; null when fewer than two rows or two columns
     * have units.
     */
    public static ChiSquare independence(long[][] counts) {
        Objects.requireNonNull(counts);
        int rows = counts.length;
        int columns = rows == 0 ? 0 : counts[0].length;
        double[] rowTotals = new double[rows];
        double[] columnTotals = new double[columns];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (counts[r].length != columns) {
                throw new IllegalArgumentException("every row needs " + columns + " columns");
            }
            for (int c = 0; c < columns; c++) {
                if (counts[r][c] < 0) {
                    throw new IllegalArgumentException("a count must be >= 0: " + counts[r][c]);
                }
                rowTotals[r] += counts[r][c];
                columnTotals[c] += counts[r][c];
                total += counts[r][c];
            }
        }
        int usedRows = (int) java.util.Arrays.stream(rowTotals).filter(t -> t > 0).count();
        int usedColumns = (int) java.util.Arrays.stream(columnTotals).filter(t -> t > 0).count();
        if (usedRows < 2 || usedColumns < 2) {
            return null;
        }
        double chiSquare = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (rowTotals[r] > 0 && columnTotals[c] > 0) {
                    double expected = rowTotals[r] * columnTotals[c] / total;
                    double difference = counts[r][c] - expected;
                    chiSquare += difference * difference / expected;
                }
            }
        }
        int degrees = (usedRows - 1) * (usedColumns - 1);
        return new ChiSquare(chiSquare, degrees, Distributions.chiSquareUpperTail(chiSquare, degrees));
    }

    /**
     * Cochran's Q over the estimates with a positive standard error; null with a reason in {@code warnings} when
     * fewer than two remain.
     *
     * @param effects estimates, each an {@link Interval} with its standard error (either may be null: left out)
     */
    public static ChiSquare homogeneity(List<Interval> effects, List<String> warnings) {
        Objects.requireNonNull(effects);
        List<double[]> used = new ArrayList<>();
        for (Interval effect : effects) {
            if (effect.estimate() != null && effect.stdError() != null && effect.stdError() > 0) {
                used.add(new double[] {effect.estimate(), 1.0 / (effect.stdError() * effect.stdError())});
            }
        }
        if (used.size() < 2) {
            warnings.add("fewer than two of the other experiment's groups have an effect with a standard error");
            return null;
        }
        if (used.size() < effects.size()) {
            warnings.add((effects.size() - used.size()) + " of the other experiment's groups have no effect with a"
                    + " standard error: left out of the test");
        }
        double weights = 0;
        double weighted = 0;
        for (double[] effect : used) {
            weights += effect[1];
            weighted += effect[1] * effect[0];
        }
        double mean = weighted / weights;
        double q = 0;
        for (double[] effect : used) {
            q += effect[1] * (effect[0] - mean) * (effect[0] - mean);
        }
        int degrees = used.size() - 1;
        return new ChiSquare(q, degrees, Distributions.chiSquareUpperTail(q, degrees));
    }
}
