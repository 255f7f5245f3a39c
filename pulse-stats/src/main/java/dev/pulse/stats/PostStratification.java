package dev.pulse.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Post-stratified treatment effect over the strata of a pre-exposure categorical attribute, as GrowthBook
 * computes it (gbstats {@code EffectMomentsPostStratification}: "Algorithm 1" per stratum for count and ratio
 * metrics, "Algorithms 3/4" to combine), from per-stratum, per-arm moments only (no new scan).
 * Sources: Miratrix, Sekhon &amp; Yu, "Adjusting treatment effect estimates by post-stratification in randomized
 * experiments", J. R. Stat. Soc. B 75(2), 2013, §2–3 (the estimator Σ_k w_k·τ̂_k with stratum weights
 * w_k = n_k/N, and its variance including the randomness of the weights); GrowthBook's implementation in
 * {@code packages/stats/gbstats/models/tests.py} (read at commit 8f1db445).
 *
 * <p>Per stratum k (control a, treatment b, n_k = n_a + n_b units) with the raw means M, D of the numerator
 * X and denominator Y (D = 1 for {@code Y ≡ 1}) the vector {@code α_k = (M_a, M_b − M_a, D_a, D_b − D_a)}
 * and its covariance {@code Σ_k} from the arms' covariance matrices {@code Λ/n} of (X, Y). With
 * {@code ν_k = n_k/N}:
 * <pre>
 *   μ = Σ_k ν_k α_k
 *   Cov(μ) = A (diag(ν) − νν')A' / N + Σ_k ν_k² Σ_k          (A = the 4 × K matrix of the α_k)
 *   R_c = μ0/μ2,  R_t = (μ0 + μ1)/(μ2 + μ3);  absolute Δ = R_t − R_c,  relative L = R_t/R_c − 1
 *   SE by the delta method, ∇R_t = (1, 1, −R_t, −R_t)/(μ2 + μ3),  ∇R_c = (1, 0, −R_c, 0)/μ2
 * </pre>
 * The first covariance term is the variance from the strata shares being random (multinomial); GrowthBook
 * includes it. A stratum where an arm has fewer than 2 units or no spread cannot carry its own estimate:
 * as in GrowthBook, such strata are merged into the largest stratum (by units) first. With one stratum left,
 * or when even the largest cannot carry an estimate, the result is the ordinary (pooled) comparison. Intervals use Student's t with the Welch–Satterthwaite degrees of
 * freedom of the pooled (unstratified) arms, as GrowthBook does.
 *
 * <p>GrowthBook divides the relative lift by |R_c| (sign flip for a negative control value); here
 * {@code L = R_t/R_c − 1} as in the rest of Pulse — the same for a positive control value.
 */
public final class PostStratification {

    private PostStratification() {}

    /** One stratum: the control's and the treatment's moments for units with this attribute value. */
    public record Stratum(String value, GroupMoments control, GroupMoments treatment) {
        /** Requires both arms. */
        public Stratum {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(treatment, "treatment");
        }
    }

    /**
     * The post-stratified comparison.
     *
     * @param comparison the stratified estimate as a {@link Comparison}: control and treatment values R_c, R_t,
     *     units pooled over the strata, absolute and relative intervals, the absolute lift's p-value
     * @param strataUsed strata after merging the ones that cannot carry their own estimate
     * @param mergedStrata strata merged into the largest one
     */
    public record Result(Comparison comparison, int strataUsed, int mergedStrata) {
        /** Requires the comparison. */
        public Result {
            Objects.requireNonNull(comparison, "comparison");
        }
    }

    /**
     * The post-stratified comparison of treatment against control.
     *
     * @param strata the strata, one per attribute value (values with no units are ignored); not empty, the
     *     arms' moments must be of the same metric (shifts may differ)
     * @param alpha level, in (0, 1)
     * @throws IllegalArgumentException if there are no strata or alpha is outside (0, 1)
     */
    public static Result compare(List<Stratum> strata, double alpha) {
        Objects.requireNonNull(strata, "strata");
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        List<Stratum> cells = new ArrayList<>();
        for (Stratum stratum : strata) {
            if (stratum.control().n() + stratum.treatment().n() > 0) {
                cells.add(new Stratum(stratum.value(), stratum.control().withShift(0.0),
                        stratum.treatment().withShift(0.0)));
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("need at least one stratum with units");
        }
        GroupMoments pooledControl = cells.get(0).control();
        GroupMoments pooledTreatment = cells.get(0).treatment();
        for (int i = 1; i < cells.size(); i++) {
            pooledControl = pooledControl.merge(cells.get(i).control());
            pooledTreatment = pooledTreatment.merge(cells.get(i).treatment());
        }
        Comparison pooled = DeltaMethodComparison.compare(pooledControl, pooledTreatment, alpha);
        List<Stratum> used = mergeNonViable(cells);
        int merged = cells.size() - used.size();
        Stratum largest = used.get(0);
        if (used.size() == 1 || pooled.degreesOfFreedom() == null
                || !(viable(largest.control()) && viable(largest.treatment()))) {
            return new Result(pooled, used.size(), merged);
        }
        return new Result(combine(used, pooled, alpha), used.size(), merged);
    }

    /** GrowthBook's {@code combine_cells_for_analysis}: non-viable strata go into the largest one. */
    private static List<Stratum> mergeNonViable(List<Stratum> cells) {
        List<Stratum> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparingLong((Stratum s) -> s.control().n() + s.treatment().n()).reversed());
        List<Stratum> used = new ArrayList<>();
        used.add(sorted.get(0));
        for (int i = 1; i < sorted.size(); i++) {
            Stratum cell = sorted.get(i);
            if (viable(cell.control()) && viable(cell.treatment())) {
                used.add(cell);
            } else {
                Stratum largest = used.get(0);
                used.set(0, new Stratum(largest.value(), largest.control().merge(cell.control()),
                        largest.treatment().merge(cell.treatment())));
            }
        }
        return used;
    }

    /** At least 2 units and a positive variance of the arm's ratio (the linearized X − R·Y). */
    private static boolean viable(GroupMoments arm) {
        if (arm.n() < 2 || !(Math.abs(arm.meanY()) > 0.0)) {
            return false;
        }
        double ratio = arm.meanX() / arm.meanY();
        double linearized = arm.varX() - 2.0 * ratio * arm.covXY() + ratio * ratio * arm.varY();
        return linearized > 0.0;
    }

    private static Comparison combine(List<Stratum> cells, Comparison pooled, double alpha) {
        int k = cells.size();
        double total = 0.0;
        for (Stratum cell : cells) {
            total += cell.control().n() + cell.treatment().n();
        }
        double[] weights = new double[k];
        double[][] alphas = new double[k][];
        double[] mean = new double[4];
        double[][] covariance = new double[4][4];
        for (int c = 0; c < k; c++) {
            Stratum cell = cells.get(c);
            weights[c] = (cell.control().n() + cell.treatment().n()) / total;
            GroupMoments a = cell.control();
            GroupMoments b = cell.treatment();
            alphas[c] = new double[] {a.meanX(), b.meanX() - a.meanX(), a.meanY(), b.meanY() - a.meanY()};
            double[][] cellCovariance = cellCovariance(a, b);
            for (int i = 0; i < 4; i++) {
                mean[i] += weights[c] * alphas[c][i];
                for (int j = 0; j < 4; j++) {
                    covariance[i][j] += weights[c] * weights[c] * cellCovariance[i][j];
                }
            }
        }
        // A (diag(ν) − νν') A' / N = (Σ_k ν_k α_k α_k' − μ μ') / N
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double second = 0.0;
                for (int c = 0; c < k; c++) {
                    second += weights[c] * alphas[c][i] * alphas[c][j];
                }
                covariance[i][j] += (second - mean[i] * mean[j]) / total;
            }
        }
        List<String> warnings = new ArrayList<>();
        double controlDenominator = mean[2];
        double treatmentDenominator = mean[2] + mean[3];
        if (!(Math.abs(controlDenominator) > 0.0) || !(Math.abs(treatmentDenominator) > 0.0)) {
            warnings.add("post-stratified denominator is zero: no post-stratified estimate");
            Interval none = new Interval(null, null, null, null);
            return new Comparison(null, null, pooled.controlUnits(), pooled.treatmentUnits(), none, none, null, null,
                    false, warnings);
        }
        double controlValue = mean[0] / controlDenominator;
        double treatmentValue = (mean[0] + mean[1]) / treatmentDenominator;
        double[] gradTreatment = {1 / treatmentDenominator, 1 / treatmentDenominator,
                -treatmentValue / treatmentDenominator, -treatmentValue / treatmentDenominator};
        double[] gradControl = {1 / controlDenominator, 0.0, -controlValue / controlDenominator, 0.0};
        double[] gradAbsolute = new double[4];
        for (int i = 0; i < 4; i++) {
            gradAbsolute[i] = gradTreatment[i] - gradControl[i];
        }
        double degrees = pooled.degreesOfFreedom();
        double quantile = Distributions.studentQuantile(1.0 - alpha / 2.0, degrees);
        double difference = treatmentValue - controlValue;
        double absoluteVariance = quadratic(gradAbsolute, covariance);
        Interval absolute = interval(difference, absoluteVariance, quantile, warnings, "absolute");
        Double pValue = absolute.stdError() == null ? null
                : Distributions.studentTwoSidedPValue(difference / absolute.stdError(), degrees);
        Interval relative;
        if (!(Math.abs(controlValue) > 0.0)) {
            warnings.add("post-stratified control value is zero: no relative lift");
            relative = new Interval(null, null, null, null);
        } else {
            double[] gradRelative = new double[4];
            for (int i = 0; i < 4; i++) {
                gradRelative[i] = gradTreatment[i] / controlValue
                        - treatmentValue / (controlValue * controlValue) * gradControl[i];
            }
            relative = interval(treatmentValue / controlValue - 1.0, quadratic(gradRelative, covariance), quantile,
                    warnings, "relative");
        }
        return new Comparison(controlValue, treatmentValue, pooled.controlUnits(), pooled.treatmentUnits(), absolute,
                relative, degrees, pValue, pValue != null && pValue < alpha, warnings);
    }

    /**
     * Covariance of {@code (M_a, M_b − M_a, D_a, D_b − D_a)}: with {@code A = Λ_a/n_a}, {@code B = Λ_b/n_b} the
     * covariance matrices of the arms' means of (X, Y), independent arms.
     */
    private static double[][] cellCovariance(GroupMoments a, GroupMoments b) {
        double amm = a.varX() / a.n();
        double amd = a.covXY() / a.n();
        double add = a.varY() / a.n();
        double bmm = b.varX() / b.n();
        double bmd = b.covXY() / b.n();
        double bdd = b.varY() / b.n();
        return new double[][] {
            {amm, -amm, amd, -amd},
            {-amm, amm + bmm, -amd, amd + bmd},
            {amd, -amd, add, -add},
            {-amd, amd + bmd, -add, add + bdd}};
    }

    private static double quadratic(double[] gradient, double[][] covariance) {
        double sum = 0.0;
        for (int i = 0; i < gradient.length; i++) {
            for (int j = 0; j < gradient.length; j++) {
                sum += gradient[i] * covariance[i][j] * gradient[j];
            }
        }
        return sum;
    }

    private static Interval interval(double estimate, double variance, double quantile, List<String> warnings,
            String what) {
        if (!(variance > 0.0) || !Double.isFinite(variance)) {
            warnings.add(what + " lift: post-stratified variance is not positive");
            return new Interval(estimate, null, null, null);
        }
        double se = Math.sqrt(variance);
        return new Interval(estimate, se, estimate - quantile * se, estimate + quantile * se);
    }
}
