package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * Properties over seeded random data sets (STYLE: seeded loops that print the seed). Each failure
 * message starts with {@code seed=<n>}; rerun one case by narrowing the loop to that seed.
 */
class PropertyTest {

    private static final int CASES = 300;

    /** Per-unit data of one group: X with a large offset (so cancellation would show) and Y ≥ 0. */
    private static double[][] units(SplittableRandom random, int n) {
        double[][] rows = new double[n][2];
        double offset = random.nextDouble(-1000, 1000);
        for (int i = 0; i < n; i++) {
            double y = random.nextInt(0, 20);
            rows[i][0] = offset + y * random.nextDouble(0.5, 3.0) + 10.0 * random.nextGaussian();
            rows[i][1] = y;
        }
        return rows;
    }

    /** Two-pass moments, the textbook definition: means first, then centered sums / (n − 1). */
    private static GroupMoments twoPass(double[][] rows) {
        int n = rows.length;
        if (n == 0) {
            return new GroupMoments(0, 0, 0, 0, 0, 0);
        }
        double meanX = 0;
        double meanY = 0;
        for (double[] row : rows) {
            meanX += row[0];
            meanY += row[1];
        }
        meanX /= n;
        meanY /= n;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (double[] row : rows) {
            xx += (row[0] - meanX) * (row[0] - meanX);
            yy += (row[1] - meanY) * (row[1] - meanY);
            xy += (row[0] - meanX) * (row[1] - meanY);
        }
        return n < 2 ? new GroupMoments(n, meanX, meanY, 0, 0, 0)
                : new GroupMoments(n, meanX, meanY, xx / (n - 1), yy / (n - 1), xy / (n - 1));
    }

    private static GroupMoments mergeUnits(List<double[]> rows) {
        GroupMoments moments = new GroupMoments(0, 0, 0, 0, 0, 0);
        for (double[] row : rows) {
            moments = moments.merge(new GroupMoments(1, row[0], row[1], 0, 0, 0));
        }
        return moments;
    }

    private static void assertMomentsClose(GroupMoments expected, GroupMoments actual, double relative, String what) {
        assertEquals(expected.n(), actual.n(), what + " n");
        assertClose(expected.meanX(), actual.meanX(), relative, 0, what + " meanX");
        assertClose(expected.meanY(), actual.meanY(), relative, 0, what + " meanY");
        assertClose(expected.varX(), actual.varX(), relative, 0, what + " varX");
        assertClose(expected.varY(), actual.varY(), relative, 0, what + " varY");
        double scale = Math.sqrt(expected.varX() * expected.varY());
        assertClose(expected.covXY(), actual.covXY(), relative, relative * scale, what + " covXY");
    }

    @Test
    void mergingPartsInAnySplitEqualsTheWhole() {
        for (int seed = 0; seed < CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[][] rows = units(random, random.nextInt(2, 300));
            GroupMoments whole = twoPass(rows);
            // Random split into 1..8 parts (some possibly empty), each part from sums or by unit merges.
            int parts = random.nextInt(1, 9);
            List<List<double[]>> split = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                split.add(new ArrayList<>());
            }
            for (double[] row : rows) {
                split.get(random.nextInt(parts)).add(row);
            }
            List<GroupMoments> partial = new ArrayList<>();
            for (List<double[]> part : split) {
                partial.add(random.nextBoolean() ? mergeUnits(part) : twoPass(part.toArray(new double[0][])));
            }
            // Merge the parts in a random order and random tree shape.
            while (partial.size() > 1) {
                int i = random.nextInt(partial.size());
                GroupMoments a = partial.remove(i);
                int j = random.nextInt(partial.size());
                partial.set(j, random.nextBoolean() ? a.merge(partial.get(j)) : partial.get(j).merge(a));
            }
            assertMomentsClose(whole, partial.get(0), 1e-12, "seed=" + seed + " parts=" + parts);
        }
    }

    @Test
    void swappingGroupsFlipsTheSignAndKeepsThePValue() {
        for (int seed = 0; seed < CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            GroupMoments a = twoPass(units(random, random.nextInt(2, 100)));
            GroupMoments b = twoPass(units(random, random.nextInt(2, 100)));
            Comparison forward = DeltaMethodComparison.compare(a, b, 0.05);
            Comparison backward = DeltaMethodComparison.compare(b, a, 0.05);
            String what = "seed=" + seed;
            if (forward.absolute().estimate() == null) {
                continue; // a zero denominator (all Y = 0) in a tiny group: nothing to compare
            }
            assertClose(-forward.absolute().estimate(), backward.absolute().estimate(), 1e-15, 0, what + " delta");
            assertClose(forward.absolute().stdError(), backward.absolute().stdError(), 1e-15, 0, what + " SE");
            assertClose(-forward.absolute().upper(), backward.absolute().lower(), 1e-14, 1e-14, what + " lower");
            assertClose(forward.degreesOfFreedom(), backward.degreesOfFreedom(), 1e-14, 0, what + " nu");
            assertNotNull(forward.pValue(), what + " p");
            assertClose(forward.pValue(), backward.pValue(), 1e-12, 0, what + " p");
            assertEquals(forward.significant(), backward.significant(), what + " significant");
        }
    }

    @Test
    void ratioWithUnitDenominatorEqualsThePlainMeanAndWelch() {
        TTest welch = new TTest();
        for (int seed = 0; seed < CASES; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[][] control = units(random, random.nextInt(2, 100));
            double[][] treatment = units(random, random.nextInt(2, 100));
            double[] controlX = new double[control.length];
            double[] treatmentX = new double[treatment.length];
            for (int i = 0; i < control.length; i++) {
                control[i][1] = 1.0;
                controlX[i] = control[i][0];
            }
            for (int i = 0; i < treatment.length; i++) {
                treatment[i][1] = 1.0;
                treatmentX[i] = treatment[i][0];
            }
            // As a ratio metric: the general moments, Y = 1 per unit, merged unit by unit.
            Comparison ratio = DeltaMethodComparison.compare(mergeUnits(List.of(control)),
                    mergeUnits(List.of(treatment)), 0.05);
            GroupMoments c = twoPass(control);
            GroupMoments t = twoPass(treatment);
            Comparison plain = DeltaMethodComparison.compare(GroupMoments.ofUnitDenominator(c.n(), c.meanX(), c.varX()),
                    GroupMoments.ofUnitDenominator(t.n(), t.meanX(), t.varX()), 0.05);
            String what = "seed=" + seed;
            double scale = Math.abs(c.meanX()) + Math.abs(t.meanX());
            assertClose(plain.absolute().estimate(), ratio.absolute().estimate(), 1e-12, 1e-12 * scale, what + " delta");
            assertClose(plain.absolute().stdError(), ratio.absolute().stdError(), 1e-10, 0, what + " SE");
            assertClose(plain.relative().stdError(), ratio.relative().stdError(), 1e-10, 0, what + " SE_L");
            assertClose(plain.degreesOfFreedom(), ratio.degreesOfFreedom(), 1e-9, 0, what + " nu");
            assertClose(plain.pValue(), ratio.pValue(), 1e-8, 1e-14, what + " p");
            // Welch's test from commons-math's TTest on the raw values (an independent code path).
            assertClose(welch.tTest(treatmentX, controlX), plain.pValue(), 1e-8, 1e-14, what + " Welch p");
        }
    }
}
