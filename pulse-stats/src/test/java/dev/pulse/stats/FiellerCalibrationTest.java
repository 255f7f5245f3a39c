package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Coverage of the relative lift by Fieller's interval and by the delta method with few clusters and
 * a noisy control (docs/statistics.md#how-the-numbers-are-checked), at α = 0.05, seed {@value #SEED},
 * {@value #REPLICATIONS} replications.
 *
 * <p>Each arm has {@value #ORGS} orgs (fixed, not random); an org has {@code 1 + ⌊149·U²⌋} users, an
 * org level {@code 20·exp(Z)} (lognormal with σ = 1: a few orgs dominate) and per-user revenue
 * {@code level·E}, {@code E ~ Exp(1)}; X = org revenue, Y = users. Treatment revenue is multiplied by
 * {@code 1 + θ}, θ = 0.1, so the true relative lift of revenue per user is exactly θ.
 *
 * <p>Checked: Fieller's coverage within 3 binomial SEs of 0.95 ({@code 3·√(0.95·0.05/4000) = 0.0103},
 * [0.9397, 0.9603]), counting an unbounded interval (g ≥ 1) as covering, since it is reported as the
 * whole line; the delta-method relative interval covers at least 0.03 less. The share of unbounded
 * intervals is printed. A Python prototype of the same design (numpy, 3000 replications, seeds 1–3)
 * gave Fieller 0.953–0.954, delta 0.865–0.876, unbounded 4.3 %. This test, seed 20261126: Fieller 0.9583
 * (unbounded 4.3 %, coverage among bounded intervals 0.9564), delta 0.8790; seeds 1, 2, 3: Fieller
 * 0.9490 / 0.9590 / 0.9523 (bounded only 0.9471 / 0.9574 / 0.9503), delta 0.8725 / 0.8808 / 0.8780.
 */
@Tag("slow")
class FiellerCalibrationTest {

    private static final long SEED = 20261126L;
    private static final int REPLICATIONS = 4000;
    private static final int ORGS = 20;
    private static final double THETA = 0.1;

    private static GroupMoments arm(SplittableRandom random, double scale) {
        GroupMoments moments = new GroupMoments(0, 0, 0, 0, 0, 0);
        for (int org = 0; org < ORGS; org++) {
            double u = random.nextDouble();
            int size = 1 + (int) Math.floor(149 * u * u);
            double level = 20.0 * Math.exp(random.nextGaussian());
            double revenue = 0;
            for (int user = 0; user < size; user++) {
                revenue += level * random.nextExponential();
            }
            moments = moments.merge(new GroupMoments(1, scale * revenue, size, 0, 0, 0));
        }
        return moments;
    }

    private static boolean covers(Interval interval) {
        boolean aboveLower = interval.lowerUnbounded() || interval.lower() <= THETA;
        boolean belowUpper = interval.upperUnbounded() || THETA <= interval.upper();
        return aboveLower && belowUpper;
    }

    @Test
    void fiellerCoversWhereTheDeltaMethodUnderCovers() {
        SplittableRandom random = new SplittableRandom(SEED);
        DeltaMethodComparison.Options delta = DeltaMethodComparison.Options.of(0.05);
        DeltaMethodComparison.Options fieller = delta.withRelativeInterval(RelativeInterval.FIELLER);
        int deltaCovered = 0;
        int fiellerCovered = 0;
        int unbounded = 0;
        for (int replication = 0; replication < REPLICATIONS; replication++) {
            GroupMoments control = arm(random, 1.0);
            GroupMoments treatment = arm(random, 1.0 + THETA);
            if (covers(DeltaMethodComparison.compare(control, treatment, delta).relative())) {
                deltaCovered++;
            }
            Interval interval = DeltaMethodComparison.compare(control, treatment, fieller).relative();
            if (interval.lowerUnbounded() && interval.upperUnbounded()) {
                unbounded++;
            }
            if (covers(interval)) {
                fiellerCovered++;
            }
        }
        double deltaCoverage = (double) deltaCovered / REPLICATIONS;
        double fiellerCoverage = (double) fiellerCovered / REPLICATIONS;
        double bound = 3.0 * Math.sqrt(0.95 * 0.05 / REPLICATIONS);
        String summary = String.format("seed=%d: relative-lift coverage Fieller %.4f (unbounded %.4f, bounded-only %.4f),"
                + " delta %.4f", SEED, fiellerCoverage, (double) unbounded / REPLICATIONS,
                (double) (fiellerCovered - unbounded) / Math.max(1, REPLICATIONS - unbounded), deltaCoverage);
        System.out.println(summary);
        assertTrue(Math.abs(fiellerCoverage - 0.95) <= bound, summary);
        assertTrue(deltaCoverage <= fiellerCoverage - 0.03, summary);
    }
}
