package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Calibration by simulation (docs/statistics.md#how-the-numbers-are-checked): clustered, org-randomized A/A data
 * analysed per user.
 *
 * <p>Each replication draws {@value #ORGS} orgs; an org has {@code 1 + ⌊149·U²⌋} users (1..150, many
 * small orgs), an org level {@code L = 20·exp(0.5·Z)} (lognormal random effect) and per-user revenue
 * {@code L·E}, {@code E ~ Exp(1)} (user-level noise). Per org: X = revenue, Y = users. Each org goes
 * to either arm with probability ½. The true revenue per user is {@code μ = E[L] = 20·e^{0.125}}.
 *
 * <p>Checked over {@value #REPLICATIONS} replications at α = 0.05, seed {@value #SEED}:
 * <ul>
 *   <li>false-positive rate of the delta-method test within 3 binomial standard errors of α:
 *       {@code SE = √(0.05·0.95/4000) = 0.00345}, bounds [0.0397, 0.0603];</li>
 *   <li>coverage of the true effect when treatment revenue is multiplied by 1 + θ (θ = 0.1; true
 *       Δ = θμ, true relative lift θ) within 3 binomial SEs of 0.95: [0.9397, 0.9603];</li>
 *   <li>the naive per-user Welch t-test on the same data (users treated as independent) rejects far
 *       more than α: its rate must exceed 0.2 (the intra-org correlation is about 0.18 and
 *       size-weighted org sizes are near 100, so the design effect is large).</li>
 * </ul>
 * The seed is fixed, so the outcome is deterministic; the bounds say a correct test passes for
 * nearly every seed (≈ 0.3 % two-sided chance per figure of a false alarm on a new seed).
 *
 * <p>Observed while choosing the size (seeds 20260301, 1, 2, 3, 4): false-positive rate 0.046–0.051,
 * absolute coverage 0.949–0.954, relative coverage 0.942–0.948. The relative interval runs slightly
 * below 0.95 on every seed: the delta method's symmetric interval for a ratio of two skewed means
 * under-covers a little at ~200 orgs per arm (with 100 orgs per arm it was 0.931–0.944). It stays
 * inside the bound here; a Fieller-type or log-scale interval would be the remedy if it matters.
 */
@Tag("slow")
class CalibrationTest {

    private static final long SEED = 20260301L;
    private static final int REPLICATIONS = 4000;
    private static final int ORGS = 400;
    private static final double ALPHA = 0.05;
    private static final double THETA = 0.1;
    private static final double TRUE_MEAN = 20.0 * Math.exp(0.125);

    /** Sums per arm: org-level (X, Y) moments and user-level revenue sums for the naive test. */
    private static final class Arm {
        long orgs;
        double sumX;
        double sumX2;
        double sumY;
        double sumY2;
        double sumXY;
        long users;
        double userSum;
        double userSum2;

        GroupMoments orgMoments(double scale) {
            return GroupMoments.ofSums(orgs, scale * sumX, scale * scale * sumX2, sumY, sumY2, scale * sumXY);
        }

        GroupMoments userMoments() {
            return GroupMoments.ofSums(users, userSum, userSum2);
        }
    }

    private static double bound(double p) {
        return 3.0 * Math.sqrt(p * (1 - p) / REPLICATIONS);
    }

    @Test
    void deltaMethodIsCalibratedAndNaiveTestIsNot() {
        SplittableRandom random = new SplittableRandom(SEED);
        int deltaRejections = 0;
        int naiveRejections = 0;
        int absoluteCovered = 0;
        int relativeCovered = 0;
        for (int replication = 0; replication < REPLICATIONS; replication++) {
            Arm[] arms = {new Arm(), new Arm()};
            for (int org = 0; org < ORGS; org++) {
                Arm arm = arms[random.nextInt(2)];
                double u = random.nextDouble();
                int size = 1 + (int) Math.floor(149 * u * u);
                double level = 20.0 * Math.exp(0.5 * random.nextGaussian());
                double revenue = 0;
                for (int user = 0; user < size; user++) {
                    double r = level * random.nextExponential();
                    revenue += r;
                    arm.userSum += r;
                    arm.userSum2 += r * r;
                }
                arm.users += size;
                arm.orgs++;
                arm.sumX += revenue;
                arm.sumX2 += revenue * revenue;
                arm.sumY += size;
                arm.sumY2 += (double) size * size;
                arm.sumXY += revenue * size;
            }
            Comparison aa = DeltaMethodComparison.compare(arms[0].orgMoments(1), arms[1].orgMoments(1), ALPHA);
            if (aa.significant()) {
                deltaRejections++;
            }
            if (DeltaMethodComparison.compare(arms[0].userMoments(), arms[1].userMoments(), ALPHA).significant()) {
                naiveRejections++;
            }
            Comparison effect = DeltaMethodComparison.compare(arms[0].orgMoments(1), arms[1].orgMoments(1 + THETA),
                    ALPHA);
            double trueDelta = THETA * TRUE_MEAN;
            if (effect.absolute().lower() <= trueDelta && trueDelta <= effect.absolute().upper()) {
                absoluteCovered++;
            }
            if (effect.relative().lower() <= THETA && THETA <= effect.relative().upper()) {
                relativeCovered++;
            }
        }
        double falsePositiveRate = (double) deltaRejections / REPLICATIONS;
        double naiveRate = (double) naiveRejections / REPLICATIONS;
        double absoluteCoverage = (double) absoluteCovered / REPLICATIONS;
        double relativeCoverage = (double) relativeCovered / REPLICATIONS;
        String summary = String.format("seed=%d: delta-method FPR %.4f, naive per-user FPR %.4f, coverage absolute %.4f,"
                + " relative %.4f", SEED, falsePositiveRate, naiveRate, absoluteCoverage, relativeCoverage);
        System.out.println(summary);
        assertTrue(Math.abs(falsePositiveRate - ALPHA) <= bound(ALPHA), summary);
        assertTrue(Math.abs(absoluteCoverage - (1 - ALPHA)) <= bound(1 - ALPHA), summary);
        assertTrue(Math.abs(relativeCoverage - (1 - ALPHA)) <= bound(1 - ALPHA), summary);
        assertTrue(naiveRate > 0.2, summary);
    }
}
