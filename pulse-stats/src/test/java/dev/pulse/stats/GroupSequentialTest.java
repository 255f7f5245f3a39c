package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.stats.GroupSequential.Spending;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boundaries of {@link GroupSequential} against published tables and an independent Python reference. */
class GroupSequentialTest {

    private static final Spending OBF = Spending.OBRIEN_FLEMING;
    private static final Spending POCOCK = Spending.POCOCK;

    private static void assertBoundaries(double[] expected, GroupSequential.Design design, double tolerance,
            String what) {
        assertEquals(expected.length, design.looks().size(), what);
        for (int k = 0; k < expected.length; k++) {
            assertClose(expected[k], design.looks().get(k).boundary(), 0, tolerance, what + " look " + (k + 1));
        }
    }

    /**
     * The K = 5, equally spaced, one-sided α = 0.025 boundaries as usually quoted to 3 decimals for R's
     * rpact {@code getDesignGroupSequential(kMax = 5, typeOfDesign = "asOF" | "asP")}: O'Brien–Fleming
     * type 4.877, 3.357, 2.680, 2.290, 2.031; Pocock type 2.438, 2.427, 2.410, 2.397, 2.386 (the
     * rpact cases below and the Python reference check the same computation to 1e-6).
     */
    @Test
    void matchesTheQuotedFiveLookTables() {
        double[] equal = {0.2, 0.4, 0.6, 0.8, 1.0};
        assertBoundaries(new double[] {4.877, 3.357, 2.680, 2.290, 2.031},
                GroupSequential.design(equal, OBF, 0.025, Direction.INCREASE), 5e-4, "O'Brien-Fleming K=5");
        assertBoundaries(new double[] {2.438, 2.427, 2.410, 2.397, 2.386},
                GroupSequential.design(equal, POCOCK, 0.025, Direction.INCREASE), 5e-4, "Pocock K=5");
    }

    /**
     * rpact's own unit tests (rpact-com/rpact, tests/testthat/test-f_design_group_sequential.R: designs
     * x6a, x6b and both x7a; their expected numbers are stated to 1e-7 there). Non-binding futility
     * bounds in x6a and x7a do not move the efficacy boundaries, which are compared here.
     */
    @Test
    void matchesRpactUnequalSpacing() {
        assertBoundaries(new double[] {1.5446617, 1.4828682, 1.4620058},
                GroupSequential.design(new double[] {0.35, 0.7, 1}, POCOCK, 0.13, Direction.INCREASE), 1e-6,
                "rpact x6a asP");
        GroupSequential.Design x6b = GroupSequential.design(new double[] {0.4, 0.7}, POCOCK, 0.025,
                Direction.INCREASE);
        assertBoundaries(new double[] {2.223875, 2.3050796}, x6b, 1e-6, "rpact x6b asP, last rate 0.7");
        assertClose(0.0197432, x6b.looks().get(1).cumulativeAlpha(), 0, 1e-7, "rpact x6b alpha spent");
        GroupSequential.Design x7a = GroupSequential.design(new double[] {0.4, 0.75, 0.85, 1}, OBF, 0.13,
                Direction.INCREASE);
        assertBoundaries(new double[] {2.1280732, 1.4368565, 1.422873, 1.2970881}, x7a, 1e-6, "rpact x7a asOF K=4");
        assertClose(0.10053322, x7a.looks().get(2).cumulativeAlpha(), 0, 1e-7, "rpact x7a alpha spent");
        assertBoundaries(new double[] {2.1280732, 1.4368565, 1.2468994},
                GroupSequential.design(new double[] {0.4, 0.75, 1}, OBF, 0.13, Direction.INCREASE), 1e-6,
                "rpact x7a asOF K=3");
    }

    /**
     * make_reference_group_sequential.py: boundaries solved with scipy's multivariate normal distribution
     * function (no recursion), for equal and unequal spacings, one- and two-sided; to 1e-6 (2e-6 where the
     * reference itself is less accurate, see below).
     */
    @Test
    void matchesThePythonReference() throws IOException {
        JsonNode reference;
        try (InputStream in = GroupSequentialTest.class.getResourceAsStream(
                "/reference/group_sequential_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        int cases = 0;
        for (JsonNode c : reference.get("cases")) {
            double[] fractions = new double[c.get("fractions").size()];
            for (int i = 0; i < fractions.length; i++) {
                fractions[i] = c.get("fractions").get(i).asDouble();
            }
            Spending spending = "pocock".equals(c.get("spending").asText()) ? POCOCK : OBF;
            Direction direction = "two".equals(c.get("sides").asText()) ? Direction.TWO_SIDED : Direction.INCREASE;
            GroupSequential.Design design = GroupSequential.design(fractions, spending, c.get("alpha").asDouble(),
                    direction);
            String name = c.get("name").asText();
            for (int k = 0; k < fractions.length; k++) {
                JsonNode look = c.get("looks").get(k);
                GroupSequential.Look ours = design.looks().get(k);
                // The lattice rule's own error: at the fourth and fifth Pocock looks (four and five dimensions,
                // boundaries near 2.39 all along) scipy stops short of abseps 1e-8 within maxpts, and its c is off
                // by up to 2e-6 (4e-7 at look 4). Ours moves by 4e-9 when the grid is three times finer (96
                // points per SD: 2.3859996499 against 2.3859996535), so the difference is the reference's.
                double tolerance = name.startsWith("pocock_k5") && k >= 3 ? 2e-6 : 1e-6;
                assertClose(look.get("boundary").asDouble(), ours.boundary(), 0, tolerance, name + " boundary " + (k + 1));
                assertClose(look.get("nominal_alpha").asDouble(), ours.nominalAlpha(), 0, 1e-6,
                        name + " nominal alpha " + (k + 1));
                assertClose(look.get("cumulative_alpha").asDouble(), ours.cumulativeAlpha(), 0, 1e-9,
                        name + " cumulative alpha " + (k + 1));
            }
            cases++;
        }
        assertTrue(cases >= 5, "reference cases read: " + cases);
    }

    /** One look spends everything: the fixed-sample 1.96 (two-sided 0.05) and 1.645 (one-sided 0.05). */
    @Test
    void oneLookIsTheFixedSampleTest() {
        for (Spending spending : Spending.values()) {
            assertClose(1.959963984540054, GroupSequential.design(new double[] {1}, spending, 0.05,
                    Direction.TWO_SIDED).looks().get(0).boundary(), 0, 1e-9, spending + " two-sided");
            assertClose(1.6448536269514722, GroupSequential.design(new double[] {1}, spending, 0.05,
                    Direction.DECREASE).looks().get(0).boundary(), 0, 1e-9, spending + " one-sided");
        }
    }

    /** Two-sided at α with α/2 per side is the one-sided test at α/2, except for paths crossing both sides. */
    @Test
    void twoSidedIsTwoOneSidedTestsAtHalfAlpha() {
        double[] fractions = {0.15, 0.45, 0.6, 1};
        for (Spending spending : Spending.values()) {
            GroupSequential.Design two = GroupSequential.design(fractions, spending, 0.1, Direction.TWO_SIDED);
            GroupSequential.Design one = GroupSequential.design(fractions, spending, 0.05, Direction.INCREASE);
            for (int k = 0; k < fractions.length; k++) {
                // Pocock boundaries near 1.9 at α/2 = 0.05: a path crossing the other side first matters at ~2e-4
                assertClose(one.looks().get(k).boundary(), two.looks().get(k).boundary(), 0, 5e-4, spending + " " + k);
            }
            assertClose(0.1, two.looks().get(3).cumulativeAlpha(), 0, 1e-15, "all alpha spent");
        }
    }

    /**
     * The decision and the repeated confidence interval agree: the interval excludes 0 exactly when Z
     * crosses. Δ̂ = 3, SE = 1 at look 2 of the K = 5 O'Brien–Fleming design (c₂ = 3.357…): not crossed,
     * interval 3 ± 3.357 = [−0.357, 6.357]; at look 3 (c₃ = 2.680): crossed, [0.320, 5.680].
     */
    @Test
    void repeatedIntervalMatchesTheDecision() {
        GroupSequential.Design design = GroupSequential.design(new double[] {0.2, 0.4, 0.6, 0.8, 1.0}, OBF, 0.05,
                Direction.TWO_SIDED);
        Comparison comparison = comparison(3.0, 1.0, 0.3, 0.1);
        GroupSequential.Result second = GroupSequential.test(design, 2, comparison);
        assertEquals(3.0, second.zStatistic());
        assertFalse(second.crossed());
        double c2 = design.looks().get(1).boundary();
        assertClose(3.0 - c2, second.absolute().lower(), 0, 1e-12, "lower");
        assertClose(3.0 + c2, second.absolute().upper(), 0, 1e-12, "upper");
        assertClose(0.3 - c2 * 0.1, second.relative().lower(), 0, 1e-12, "relative lower");
        GroupSequential.Result third = GroupSequential.test(design, 3, comparison);
        assertTrue(third.crossed());
        assertTrue(third.absolute().lower() > 0);

        GroupSequential.Design increase = GroupSequential.design(new double[] {0.5, 1}, POCOCK, 0.05,
                Direction.INCREASE);
        GroupSequential.Result oneSided = GroupSequential.test(increase, 1, comparison(-3.0, 1.0, -0.3, 0.1));
        assertFalse(oneSided.crossed(), "a one-sided increase test never crosses on a decrease");
        assertTrue(oneSided.absolute().upperUnbounded());
        assertNull(oneSided.absolute().upper());
    }

    @Test
    void undefinedWithoutAStandardError() {
        GroupSequential.Design design = GroupSequential.design(new double[] {0.5, 1}, OBF, 0.05, Direction.TWO_SIDED);
        GroupSequential.Result result = GroupSequential.test(design, 1, comparison(1.0, 0.0, 0.1, 0.0));
        assertNull(result.zStatistic());
        assertNull(result.crossed());
        assertEquals(1, result.warnings().size());
    }

    @Test
    void rejectsBadDesigns() {
        assertThrows(IllegalArgumentException.class,
                () -> GroupSequential.design(new double[] {0.5, 0.5, 1}, OBF, 0.05, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> GroupSequential.design(new double[] {0.5, 1.2}, OBF, 0.05, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> GroupSequential.design(new double[] {}, OBF, 0.05, Direction.TWO_SIDED));
        assertThrows(IllegalArgumentException.class,
                () -> GroupSequential.design(new double[] {1}, OBF, 1.0, Direction.TWO_SIDED));
        GroupSequential.Design design = GroupSequential.design(new double[] {1}, OBF, 0.05, Direction.TWO_SIDED);
        assertThrows(IllegalArgumentException.class, () -> GroupSequential.test(design, 2, comparison(1, 1, 0, 1)));
    }

    /** A very early O'Brien–Fleming look spends ~1e-100: the boundary is capped, not NaN. */
    @Test
    void tinyEarlyFractionsStayFinite() {
        GroupSequential.Design design = GroupSequential.design(new double[] {0.005, 0.01, 1}, OBF, 0.05,
                Direction.TWO_SIDED);
        for (GroupSequential.Look look : design.looks()) {
            assertTrue(Double.isFinite(look.boundary()) && look.boundary() <= GroupSequential.MAX_BOUNDARY);
        }
        assertClose(1.96, design.looks().get(2).boundary(), 0, 1e-3, "the final look keeps nearly all alpha");
    }

    static Comparison comparison(double estimate, double standardError, double relative, double relativeError) {
        return new Comparison(1.0, 1.0 + estimate, 1000, 1000,
                new Interval(estimate, standardError, null, null),
                new Interval(relative, relativeError, null, null), 100.0, 0.5, false, List.of());
    }
}
