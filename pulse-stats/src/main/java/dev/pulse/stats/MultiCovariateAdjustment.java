package dev.pulse.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Regression adjustment with several covariates: Statsig's CURE, Eppo's CUPED++. It generalizes CUPED
 * ({@link RegressionAdjustment}) from one pre-period covariate to a vector of them, as the regression estimator
 * of Deng, Xu, Kohavi &amp; Walker (WSDM 2013, §3.3 "the multivariate case") and Lin ("Agnostic notes on
 * regression adjustments to experimental data", Annals of Applied Statistics 7(1), 2013): the effect is the
 * arm coefficient of a least-squares fit of the outcome on arm indicators and the covariates, with the
 * covariates' slope pooled over the arms. Ratio metrics and ratio covariates are linearized first (Deng,
 * Knoblich &amp; Lu, KDD 2018, §3), so that everything is computed from each arm's {@link JointMoments}.
 *
 * <p><b>Linearization.</b> In arm g each variable v (outcome 0, covariates 1..K) has value
 * {@code R_v = x̄_v/ȳ_v} and per-unit influence {@code z_v = (X_v − R_v Y_v)/ȳ_v}; with {@code G} the K+1 × 2(K+1)
 * matrix of gradients {@code (1/ȳ_v, −R_v/ȳ_v)} the per-unit covariance of the z's is {@code S_g = G Σ_g Gᵀ}.
 *
 * <p><b>θ</b>, pooled within arms: {@code θ = A⁻¹ b} with {@code A = Σ_g (n_g − 1) S_g[w,w]} and
 * {@code b = Σ_g (n_g − 1) S_g[w,0]} over the arms with at least 2 units and a defined outcome: the OLS slope
 * of z₀ on the covariates with one intercept per arm. No ridge penalty: the covariates are few (at most the
 * experiment's metrics and the levels of a few attributes) and fitted on all units, and a penalty would bias
 * θ without changing the estimator's validity; instead covariates that add nothing are dropped (below).
 *
 * <p><b>Adjusted values</b>: {@code R_adj,g = R_0,g − θᵀ(R_w,g − R̄_w)} with the pooled covariate values
 * {@code R̄_k = Σ n_g x̄_k,g / Σ n_g ȳ_k,g}, and
 * {@code V_adj,g = f · (S_00 − 2θᵀS_w0 + θᵀS_wwθ)/n_g}: the variance of the residual {@code z₀ − θᵀz_w}
 * over n, times the small-sample factor {@code f = (N − G)/(N − G − K)} (N units and G arms fitted): the
 * residual variance of a least-squares fit with K slopes is that much too small (the divisor of the
 * unbiased residual variance, as MacKinnon &amp; White's HC1). Each comparison adds to the treatment's variance the
 * variance of θ's estimate along the arms' covariate difference, {@code σ̂²·dᵀA⁻¹d} with {@code d = R_w,t − R_w,c}
 * and the pooled residual variance {@code σ̂² = (A_00 − bᵀθ)/(N − G − K)}: with equal residual variances the two
 * arms' variances then sum to the classical least-squares variance of the arm difference. Then exactly as
 * {@link DeltaMethodComparison} ({@link EstimateComparison}): Welch–Satterthwaite t interval and p-value,
 * delta-method relative lift.
 *
 * <p><b>Which covariates are used</b>, in the order given (each dropped one is named in a warning, and its
 * coefficient is null):
 * <ul>
 *   <li>one whose value is undefined in an arm with units (its ȳ is 0 there);</li>
 *   <li>one that adds nothing: its residual variance given the covariates kept before it is below
 *       {@link #COLLINEARITY} of its variance (constant, or a linear combination of earlier ones, such as the
 *       last level of a categorical attribute);</li>
 *   <li>the last ones, while fewer than {@link #MIN_DEGREES_PER_COVARIATE} residual degrees of freedom
 *       {@code N − G} remain per covariate: with few units (clusters) the fitted θ absorbs noise, and intervals of
 *       ratio metrics lose coverage that the terms above do not give back (10 per covariate left 30 clusters per arm
 *       with 5 covariates at 0.925 coverage, 20 gives 0.946; MultiCovariateCalibrationTest,
 *       docs/regression-adjustment.md).</li>
 * </ul>
 * With none left every comparison equals the unadjusted one.
 */
public final class MultiCovariateAdjustment {

    /** A covariate whose residual variance given the earlier ones is below this fraction of its variance is dropped. */
    public static final double COLLINEARITY = 1e-9;
    /** Residual degrees of freedom (units less arms) needed per covariate. */
    public static final int MIN_DEGREES_PER_COVARIATE = 20;

    private MultiCovariateAdjustment() {}

    /**
     * The adjustment of one metric over all arms.
     *
     * @param control the control arm
     * @param coefficients θ per covariate (variables 1..K, in order), null for a covariate not used
     * @param varianceInflation the small-sample factor f applied to each adjusted variance (1 without covariates)
     * @param comparisons one per treatment arm, in the order of the input map
     * @param warnings why covariates were dropped
     */
    public record Result(String control, List<Double> coefficients, double varianceInflation,
                         List<RegressionAdjustment.AdjustedComparison> comparisons, List<String> warnings) {
        public Result {
            Objects.requireNonNull(control);
            coefficients = java.util.Collections.unmodifiableList(new ArrayList<>(coefficients));
            comparisons = List.copyOf(comparisons);
            warnings = List.copyOf(warnings);
        }

        /** How many covariates were used. */
        public int used() {
            return (int) coefficients.stream().filter(Objects::nonNull).count();
        }
    }

    /**
     * Compares every arm with {@code control} after adjusting on the covariates (variables 1..K of each arm's
     * moments; variable 0 is the outcome).
     *
     * @param arms each arm's joint moments, with the same variables, at least two arms including the control
     * @param control the control arm, a key of {@code arms}
     * @param options level, direction and relative interval, as for {@link DeltaMethodComparison}
     * @param names the covariates' names for warnings, K of them
     * @throws IllegalArgumentException for fewer than two arms, a missing control, arms of different sizes,
     *     or an adjusted variance negative beyond rounding (moments that contradict each other)
     */
    public static Result compare(Map<String, JointMoments> arms, String control, DeltaMethodComparison.Options options,
                                 List<String> names) {
        Objects.requireNonNull(arms, "arms");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(options, "options");
        if (arms.size() < 2) {
            throw new IllegalArgumentException("need the control and at least one treatment, got " + arms.keySet());
        }
        JointMoments controlMoments = arms.get(control);
        if (controlMoments == null) {
            throw new IllegalArgumentException("control '" + control + "' is not among the groups " + arms.keySet());
        }
        int size = controlMoments.size();
        int covariates = size - 1;
        if (names.size() != covariates) {
            throw new IllegalArgumentException("need " + covariates + " covariate names, got " + names.size());
        }
        double[] shifts = new double[size];
        for (int v = 0; v < size; v++) {
            shifts[v] = controlMoments.variable(v).shift();
        }
        Map<String, Arm> linearized = new LinkedHashMap<>();
        arms.forEach((name, moments) -> {
            if (Objects.requireNonNull(moments, name).size() != size) {
                throw new IllegalArgumentException(name + " has " + moments.size() + " variables, the control " + size);
            }
            linearized.put(name, Arm.of(moments.withShifts(shifts)));
        });

        List<String> warnings = new ArrayList<>();
        boolean[] candidate = new boolean[size];
        Arrays.fill(candidate, 1, size, true);
        double[] pooled = new double[size];
        for (int k = 1; k < size; k++) {
            for (Map.Entry<String, Arm> arm : linearized.entrySet()) {
                if (candidate[k] && arm.getValue().n() > 0 && arm.getValue().values()[k] == null) {
                    candidate[k] = false;
                    warnings.add("covariate " + names.get(k - 1) + " is undefined in " + arm.getKey()
                            + " (its denominator sums to zero): not used");
                }
            }
            double numerator = 0.0;
            double denominator = 0.0;
            for (Arm arm : linearized.values()) {
                numerator += arm.n() * arm.moments().variable(k).meanX();
                denominator += arm.n() * arm.moments().variable(k).meanY();
            }
            pooled[k] = numerator / denominator;
            if (candidate[k] && !Double.isFinite(pooled[k])) {
                candidate[k] = false;
                warnings.add("covariate " + names.get(k - 1) + " has no pooled value: not used");
            }
        }

        // pooled within-arm cross products of the linearized values
        double[][] a = new double[size][size];
        long units = 0;
        int fitted = 0;
        for (Arm arm : linearized.values()) {
            if (arm.n() < 2 || arm.values()[0] == null) {
                continue;
            }
            units += arm.n();
            fitted++;
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    a[i][j] += (arm.n() - 1) * arm.covariance()[i][j];
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int k = 1; k < size; k++) {
            if (!candidate[k]) {
                continue;
            }
            if (!(a[k][k] > 0.0) || residualShare(a, kept, k) < COLLINEARITY) {
                warnings.add("covariate " + names.get(k - 1) + (a[k][k] > 0.0
                        ? " adds nothing to the covariates before it (collinear)" : " has no variance") + ": not used");
                continue;
            }
            kept.add(k);
        }
        long degrees = units - fitted;
        while (!kept.isEmpty() && degrees < (long) MIN_DEGREES_PER_COVARIATE * kept.size()) {
            int dropped = kept.remove(kept.size() - 1);
            warnings.add("covariate " + names.get(dropped - 1) + " not used: " + degrees + " residual degrees of freedom"
                    + " (units less groups) support at most " + degrees / MIN_DEGREES_PER_COVARIATE + " covariates ("
                    + MIN_DEGREES_PER_COVARIATE + " each)");
        }

        double[] theta = new double[size];
        List<Double> coefficients = new ArrayList<>();
        double inflation = 1.0;
        DecompositionSolver solver = null;
        double residualVariance = 0.0;
        if (!kept.isEmpty()) {
            RealMatrix matrix = MatrixUtils.createRealMatrix(kept.size(), kept.size());
            double[] right = new double[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                right[i] = a[kept.get(i)][0];
                for (int j = 0; j < kept.size(); j++) {
                    matrix.setEntry(i, j, a[kept.get(i)][kept.get(j)]);
                }
            }
            solver = new CholeskyDecomposition(matrix, 1e-12, 0.0).getSolver();
            double[] solved = solver.solve(MatrixUtils.createRealVector(right)).toArray();
            double explained = 0.0;
            for (int i = 0; i < kept.size(); i++) {
                theta[kept.get(i)] = solved[i];
                explained += solved[i] * right[i];
            }
            inflation = (double) degrees / (degrees - kept.size());
            residualVariance = Math.max(0.0, a[0][0] - explained) / (degrees - kept.size());
        }
        for (int k = 1; k < size; k++) {
            coefficients.add(kept.contains(k) ? theta[k] : null);
        }

        Map<String, EstimateComparison.Estimate> adjusted = new LinkedHashMap<>();
        for (Map.Entry<String, Arm> arm : linearized.entrySet()) {
            adjusted.put(arm.getKey(), arm.getValue().adjust(arm.getKey(), theta, kept, pooled, inflation));
        }
        List<RegressionAdjustment.AdjustedComparison> comparisons = new ArrayList<>();
        Arm controlArm = linearized.get(control);
        for (Map.Entry<String, Arm> arm : linearized.entrySet()) {
            if (arm.getKey().equals(control)) {
                continue;
            }
            Comparison plain = DeltaMethodComparison.compare(controlArm.moments().variable(0),
                    arm.getValue().moments().variable(0), options);
            EstimateComparison.Estimate treatment = kept.isEmpty() ? adjusted.get(arm.getKey())
                    : withSlopeError(adjusted.get(arm.getKey()), controlArm, arm.getValue(), kept, solver, residualVariance);
            Comparison adjustedComparison = kept.isEmpty() ? plain
                    : EstimateComparison.compare(adjusted.get(control), treatment, options);
            comparisons.add(new RegressionAdjustment.AdjustedComparison(arm.getKey(), adjustedComparison, plain,
                    varianceReduction(controlArm, arm.getValue(), adjusted.get(control), treatment)));
        }
        return new Result(control, coefficients, inflation, comparisons, warnings);
    }

    /**
     * The treatment's estimate with the variance of θ's estimate along the arms' covariate difference added:
     * {@code σ̂²·dᵀA⁻¹d} with {@code d = R_w,t − R_w,c} and {@code σ̂² = (A_00 − bᵀθ)/(N − G − K)}, the pooled residual
     * variance. With it {@code V_t + V_c} is the least-squares variance of the arm difference, {@code σ̂²(1/n_t + 1/n_c
     * + dᵀA⁻¹d)}, when the residual variances of the arms are equal (the classical OLS covariance of the arm
     * coefficients); it is of the order K/N of the rest, and what f alone leaves out when units are few.
     */
    private static EstimateComparison.Estimate withSlopeError(EstimateComparison.Estimate estimate, Arm control,
                                                            Arm treatment, List<Integer> kept, DecompositionSolver solver,
                                                            double residualVariance) {
        if (estimate.variance() == null || control.values()[0] == null || control.n() == 0) {
            return estimate;
        }
        double[] d = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            d[i] = treatment.values()[kept.get(i)] - control.values()[kept.get(i)];
        }
        double[] solved = solver.solve(MatrixUtils.createRealVector(d)).toArray();
        double quadratic = 0.0;
        for (int i = 0; i < d.length; i++) {
            quadratic += d[i] * solved[i];
        }
        double variance = estimate.variance() + residualVariance * Math.max(0.0, quadratic);
        return new EstimateComparison.Estimate(estimate.moments(), estimate.shift(), estimate.shifted(),
                Double.isFinite(variance) ? variance : null);
    }

    // the share of covariate k's pooled variance left after regressing it on the kept ones: a[k][k] less its
    // projection, over a[k][k]
    private static double residualShare(double[][] a, List<Integer> kept, int k) {
        if (kept.isEmpty()) {
            return 1.0;
        }
        RealMatrix matrix = MatrixUtils.createRealMatrix(kept.size(), kept.size());
        double[] cross = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            cross[i] = a[kept.get(i)][k];
            for (int j = 0; j < kept.size(); j++) {
                matrix.setEntry(i, j, a[kept.get(i)][kept.get(j)]);
            }
        }
        double[] beta = new CholeskyDecomposition(matrix, 1e-12, 0.0).getSolver()
                .solve(MatrixUtils.createRealVector(cross)).toArray();
        double explained = 0.0;
        for (int i = 0; i < kept.size(); i++) {
            explained += beta[i] * cross[i];
        }
        return (a[k][k] - explained) / a[k][k];
    }

    private static Double varianceReduction(Arm control, Arm treatment, EstimateComparison.Estimate c,
                                            EstimateComparison.Estimate t) {
        if (control.plainVariance() == null || treatment.plainVariance() == null || c.variance() == null
                || t.variance() == null) {
            return null;
        }
        double plain = control.plainVariance() + treatment.plainVariance();
        if (!(plain > 0.0) || !Double.isFinite(plain)) {
            return null;
        }
        double reduction = 1.0 - (c.variance() + t.variance()) / plain;
        return Double.isFinite(reduction) ? reduction : null;
    }

    /**
     * One arm, linearized: each variable's value less its shift (null when undefined), and the per-unit covariance
     * {@code S = G Σ Gᵀ} of the z's (rows of undefined variables 0).
     */
    private record Arm(JointMoments moments, Double[] values, double[][] covariance) {

        long n() {
            return moments.n();
        }

        static Arm of(JointMoments moments) {
            int size = moments.size();
            Double[] values = new Double[size];
            double[][] gradient = new double[size][2 * size];
            for (int v = 0; v < size; v++) {
                GroupMoments own = moments.variable(v);
                if (own.n() > 0 && Math.abs(own.meanY()) > 0.0) {
                    double value = own.meanX() / own.meanY();
                    if (Double.isFinite(value)) {
                        values[v] = value;
                        gradient[v][2 * v] = 1.0 / own.meanY();
                        gradient[v][2 * v + 1] = -value / own.meanY();
                    }
                }
            }
            double[][] sigma = new double[2 * size][2 * size];
            for (int i = 0; i < 2 * size; i++) {
                for (int j = 0; j < 2 * size; j++) {
                    sigma[i][j] = moments.covariance(i, j);
                }
            }
            double[][] covariance = JointMoments.multiply(JointMoments.multiply(gradient, sigma),
                    JointMoments.transpose(gradient));
            // symmetric up to rounding of the products; made exactly so for the Cholesky factorizations
            for (int i = 0; i < size; i++) {
                for (int j = i + 1; j < size; j++) {
                    double mean = (covariance[i][j] + covariance[j][i]) / 2;
                    covariance[i][j] = mean;
                    covariance[j][i] = mean;
                }
            }
            return new Arm(moments, values, covariance);
        }

        /** The outcome's unadjusted variance {@code S_00/n}, as the linearization gives it. */
        Double plainVariance() {
            if (n() < 2 || values[0] == null) {
                return null;
            }
            double variance = Math.max(0.0, covariance[0][0]) / n();
            return Double.isFinite(variance) ? variance : null;
        }

        EstimateComparison.Estimate adjust(String name, double[] theta, List<Integer> kept, double[] pooled,
                                           double inflation) {
            GroupMoments outcome = moments.variable(0);
            double shift = outcome.shift();
            if (values[0] == null) {
                return new EstimateComparison.Estimate(outcome, shift, null, null);
            }
            double value = values[0];
            for (int k : kept) {
                if (n() > 0) {
                    value -= theta[k] * (values[k] - pooled[k]);
                }
            }
            if (n() < 2) {
                return new EstimateComparison.Estimate(outcome, shift, Double.isFinite(value) ? value : null, null);
            }
            double cross = 0.0;
            double square = 0.0;
            double scale = Math.abs(covariance[0][0]);
            for (int k : kept) {
                cross += theta[k] * covariance[k][0];
                for (int l : kept) {
                    square += theta[k] * theta[l] * covariance[k][l];
                }
                scale += Math.abs(2.0 * theta[k] * covariance[k][0]) + Math.abs(theta[k] * theta[k] * covariance[k][k]);
            }
            double residual = covariance[0][0] - 2.0 * cross + square;
            if (residual < -RegressionAdjustment.INCONSISTENCY_TOLERANCE * scale) {
                throw new IllegalArgumentException("the covariances of " + name
                        + " contradict each other: adjusted variance " + residual + " < 0");
            }
            if (residual <= RegressionAdjustment.VARIANCE_ROUNDING * scale) {
                residual = 0.0;
            }
            double variance = inflation * residual / n();
            return new EstimateComparison.Estimate(outcome, shift, Double.isFinite(value) ? value : null,
                    Double.isFinite(variance) ? variance : null);
        }
    }
}
