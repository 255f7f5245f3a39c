package dev.pulse.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One arm's moments of several ratio variables over the same units: variable {@code v} is the pair
 * {@code (X_v, Y_v)} (per unit), its value the ratio of means {@code x̄_v / ȳ_v}. It holds each variable's
 * {@link GroupMoments} and the sample covariances (divisor n − 1) between the components of every two
 * variables: the sufficient statistics of a regression adjustment with several covariates
 * ({@link MultiCovariateAdjustment}), in which variable 0 is the outcome and the others the covariates.
 *
 * <p>As in {@link GroupMoments}, each variable's X moments may be those of {@code X − c_v·Y}; the cross
 * covariances are then those of the shifted values. A variable with {@code Y ≡ 1} has {@code ȳ = 1} and every
 * covariance involving its Y is 0. Immutable.
 */
public final class JointMoments {
    private final List<GroupMoments> variables;
    // covariance of component i with component j, component 2v = X_v (shifted), 2v + 1 = Y_v
    private final double[][] covariances;

    private JointMoments(List<GroupMoments> variables, double[][] covariances) {
        this.variables = variables;
        this.covariances = covariances;
    }

    /** Starts the moments of {@code variables} (all over the same n units); cross covariances default to 0. */
    public static Builder builder(List<GroupMoments> variables) {
        return new Builder(variables);
    }

    /** The units. */
    public long n() {
        return variables.get(0).n();
    }

    /** How many variables. */
    public int size() {
        return variables.size();
    }

    /** Variable {@code v}'s own moments. */
    public GroupMoments variable(int v) {
        return variables.get(v);
    }

    /** The covariance of components {@code i} and {@code j} (component {@code 2v} is X_v, {@code 2v + 1} is Y_v). */
    public double covariance(int i, int j) {
        return covariances[i][j];
    }

    /**
     * The same moments measured from other shifts: with {@code d_v = c_v − c'_v}, {@code X̃'_v = X̃_v + d_v·Y_v}, so
     * every covariance of an X component gains {@code d_v} times the same covariance of its Y (exact algebra).
     */
    public JointMoments withShifts(double[] shifts) {
        int size = size();
        if (shifts.length != size) {
            throw new IllegalArgumentException("need " + size + " shifts, got " + shifts.length);
        }
        boolean same = true;
        for (int v = 0; v < size; v++) {
            same &= Double.compare(shifts[v], variables.get(v).shift()) == 0;
        }
        if (same) {
            return this;
        }
        // T = block-diagonal [[1, d_v], [0, 1]], Σ' = T Σ Tᵀ
        int components = 2 * size;
        double[][] t = new double[components][components];
        for (int v = 0; v < size; v++) {
            t[2 * v][2 * v] = 1.0;
            t[2 * v][2 * v + 1] = variables.get(v).shift() - shifts[v];
            t[2 * v + 1][2 * v + 1] = 1.0;
        }
        double[][] shifted = multiply(multiply(t, covariances), transpose(t));
        GroupMoments[] moved = new GroupMoments[size];
        for (int v = 0; v < size; v++) {
            GroupMoments own = variables.get(v).withShift(shifts[v]);
            moved[v] = own;
        }
        return new JointMoments(List.of(moved), shifted);
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int rows = a.length;
        int inner = b.length;
        int columns = b[0].length;
        double[][] product = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                double left = a[i][k];
                if (left == 0.0) {
                    continue;
                }
                for (int j = 0; j < columns; j++) {
                    product[i][j] += left * b[k][j];
                }
            }
        }
        return product;
    }

    static double[][] transpose(double[][] a) {
        double[][] transposed = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                transposed[j][i] = a[i][j];
            }
        }
        return transposed;
    }

    /** Collects the variables' moments and their cross covariances. */
    public static final class Builder {
        private final List<GroupMoments> variables;
        private final double[][] covariances;

        private Builder(List<GroupMoments> variables) {
            this.variables = List.copyOf(variables);
            if (this.variables.isEmpty()) {
                throw new IllegalArgumentException("need at least one variable");
            }
            long n = this.variables.get(0).n();
            for (GroupMoments moments : this.variables) {
                if (moments.n() != n) {
                    throw new IllegalArgumentException("every variable must be over the same units: " + moments.n()
                            + " vs " + n);
                }
            }
            int components = 2 * this.variables.size();
            covariances = new double[components][components];
            for (int v = 0; v < this.variables.size(); v++) {
                GroupMoments own = this.variables.get(v);
                covariances[2 * v][2 * v] = own.varX();
                covariances[2 * v + 1][2 * v + 1] = own.varY();
                covariances[2 * v][2 * v + 1] = own.covXY();
                covariances[2 * v + 1][2 * v] = own.covXY();
            }
        }

        /**
         * The covariances between variables {@code a} and {@code b} ({@code a ≠ b}): {@code cov(X_a, X_b)},
         * {@code cov(X_a, Y_b)}, {@code cov(Y_a, X_b)}, {@code cov(Y_a, Y_b)}; each finite.
         */
        public Builder cross(int a, int b, double xx, double xy, double yx, double yy) {
            Objects.checkIndex(a, variables.size());
            Objects.checkIndex(b, variables.size());
            if (a == b) {
                throw new IllegalArgumentException("a variable's own covariances come from its GroupMoments");
            }
            for (double value : new double[] {xx, xy, yx, yy}) {
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("cross covariances must be finite");
                }
            }
            set(2 * a, 2 * b, xx);
            set(2 * a, 2 * b + 1, xy);
            set(2 * a + 1, 2 * b, yx);
            set(2 * a + 1, 2 * b + 1, yy);
            return this;
        }

        private void set(int i, int j, double value) {
            covariances[i][j] = value;
            covariances[j][i] = value;
        }

        /** The moments; units with fewer than 2 have no covariances. */
        public JointMoments build() {
            double[][] copy = new double[covariances.length][];
            for (int i = 0; i < covariances.length; i++) {
                copy[i] = variables.get(0).n() < 2 ? new double[covariances.length] : Arrays.copyOf(covariances[i], covariances.length);
            }
            return new JointMoments(variables, copy);
        }
    }
}
