package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks against {@code reference/advanced_reference.json}, written by
 * {@code src/test/python/make_reference_advanced.py} (numpy + scipy, no Pulse code; command and library
 * versions at the top of the script and under "generator" in the JSON). Fieller limits there are roots
 * of the quadratic found by {@code numpy.roots}, adjusted p-values come from brute-force definitions,
 * quantiles from {@code numpy.quantile(method="inverted_cdf")} on raw rows.
 *
 * <p>Tolerances: estimates 1e-9 relative; SE, interval ends, p-values, levels 1e-6 relative (with an
 * absolute floor of 1e-6 × the SE for interval ends near 0, 1e-12 for p-values).
 */
class AdvancedReferenceTest {

    private static final double ESTIMATE = 1e-9;
    private static final double STATISTIC = 1e-6;

    private static JsonNode reference() throws IOException {
        try (InputStream in = AdvancedReferenceTest.class.getResourceAsStream("/reference/advanced_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static GroupMoments moments(JsonNode sums) {
        return GroupMoments.ofSums(sums.get("n").asLong(), sums.get("sum_x").asDouble(), sums.get("sum_x2").asDouble(),
                sums.get("sum_y").asDouble(), sums.get("sum_y2").asDouble(), sums.get("sum_xy").asDouble());
    }

    private static Double nullable(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }

    @TestFactory
    Stream<DynamicTest> comparisons() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("comparisons")) {
            for (JsonNode expected : set.get("cases")) {
                String what = set.get("name").asText() + " " + expected.get("direction").asText() + " "
                        + expected.get("relative_interval").asText();
                tests.add(DynamicTest.dynamicTest(what, () -> checkComparison(set, expected, what)));
            }
        }
        return tests.stream();
    }

    private static void checkComparison(JsonNode set, JsonNode expected, String what) {
        Direction direction = Direction.valueOf(expected.get("direction").asText());
        DeltaMethodComparison.Options options = DeltaMethodComparison.Options.of(set.get("alpha").asDouble())
                .withDirection(direction)
                .withRelativeInterval(RelativeInterval.valueOf(expected.get("relative_interval").asText()));
        Comparison actual = DeltaMethodComparison.compare(moments(set.get("control")), moments(set.get("treatment")),
                options);
        assertRelative(expected.get("degrees_of_freedom").asDouble(), actual.degreesOfFreedom(), STATISTIC, what + " nu");
        assertClose(expected.get("p_value").asDouble(), actual.pValue(), STATISTIC, 1e-12, what + " p");
        assertEquals(expected.get("significant").asBoolean(), actual.significant(), what + " significant");
        double scale = Math.abs(actual.controlMean());
        checkInterval(expected.get("absolute"), actual.absolute(), direction, scale, what + " absolute");
        JsonNode relative = expected.get("relative");
        if (relative.get("unbounded").asBoolean()) {
            assertNull(actual.relative().lower(), what);
            assertNull(actual.relative().upper(), what);
            assertTrue(actual.relative().lowerUnbounded() && actual.relative().upperUnbounded(), what);
            assertEquals(List.of("relative interval unbounded (control too noisy)"), actual.warnings(), what);
            assertRelative(relative.get("estimate").asDouble(), actual.relative().estimate(), ESTIMATE, what);
        } else {
            checkInterval(relative, actual.relative(), direction, 1.0, what + " relative");
            assertTrue(actual.warnings().isEmpty(), what + " " + actual.warnings());
        }
    }

    private static void checkInterval(JsonNode expected, Interval actual, Direction direction, double valueScale,
            String what) {
        double standardError = expected.get("std_error").asDouble();
        assertClose(expected.get("estimate").asDouble(), actual.estimate(), ESTIMATE, ESTIMATE * valueScale,
                what + " estimate");
        assertRelative(standardError, actual.stdError(), STATISTIC, what + " SE");
        Double lower = nullable(expected.get("ci_lower"));
        Double upper = nullable(expected.get("ci_upper"));
        if (lower == null) {
            assertNull(actual.lower(), what + " lower");
            assertTrue(actual.lowerUnbounded(), what + " lower unbounded");
        } else {
            assertClose(lower, actual.lower(), STATISTIC, STATISTIC * standardError, what + " lower");
            assertFalse(actual.lowerUnbounded(), what + " lower bounded");
        }
        if (upper == null) {
            assertNull(actual.upper(), what + " upper");
            assertTrue(actual.upperUnbounded(), what + " upper unbounded");
        } else {
            assertClose(upper, actual.upper(), STATISTIC, STATISTIC * standardError, what + " upper");
            assertFalse(actual.upperUnbounded(), what + " upper bounded");
        }
        assertEquals(direction == Direction.DECREASE, lower == null, what + " shape");
    }

    @TestFactory
    Stream<DynamicTest> families() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode family : reference().get("families")) {
            for (MultipleComparisons.Correction correction : MultipleComparisons.Correction.values()) {
                String what = family.get("name").asText() + " " + correction;
                tests.add(DynamicTest.dynamicTest(what, () -> checkFamily(family, correction, what)));
            }
        }
        return tests.stream();
    }

    private static void checkFamily(JsonNode family, MultipleComparisons.Correction correction, String what) {
        List<Double> pValues = new ArrayList<>();
        family.get("p_values").forEach(p -> pValues.add(p.asDouble()));
        double alpha = family.get("alpha").asDouble();
        MultipleComparisons.Result actual = MultipleComparisons.adjust(pValues, alpha, correction);
        assertEquals(pValues.size(), actual.familySize(), what);
        JsonNode adjusted = family.get("adjusted").get(correction.name());
        JsonNode rejected = family.get("rejected").get(correction.name());
        for (int i = 0; i < pValues.size(); i++) {
            assertClose(adjusted.get(i).asDouble(), actual.adjustedPValues().get(i), ESTIMATE, 1e-15, what + " p " + i);
            assertEquals(rejected.get(i).asBoolean(), actual.rejected().get(i), what + " rejected " + i);
            assertRelative(family.get("interval_alpha").get(correction.name()).asDouble(), actual.intervalAlphas().get(i),
                    ESTIMATE, what + " interval alpha " + i);
        }
    }

    @TestFactory
    Stream<DynamicTest> percentiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("percentiles")) {
            tests.add(DynamicTest.dynamicTest(set.get("name").asText(), () -> checkPercentile(set)));
        }
        return tests.stream();
    }

    private static Interval checkGroup(JsonNode expected, double probability, double alpha, String what) {
        Percentiles.Levels levels = Percentiles.levels(probability, moments(expected.get("indicator")), alpha);
        assertTrue(levels.warnings().isEmpty(), what + " " + levels.warnings());
        assertRelative(expected.get("observed_probability").asDouble(), levels.observedProbability(), ESTIMATE,
                what + " p-hat");
        assertRelative(expected.get("sigma").asDouble(), levels.standardError(), STATISTIC, what + " sigma");
        assertClose(expected.get("lower_level").asDouble(), levels.lowerLevel(), STATISTIC, 1e-12, what + " lower level");
        assertClose(expected.get("upper_level").asDouble(), levels.upperLevel(), STATISTIC, 1e-12, what + " upper level");
        Interval interval = Percentiles.interval(expected.get("quantile").asDouble(),
                expected.get("lower_quantile").asDouble(), expected.get("upper_quantile").asDouble(), alpha);
        assertClose(expected.get("std_error").asDouble(), interval.stdError(), STATISTIC, 1e-12, what + " SE");
        return interval;
    }

    private static void checkPercentile(JsonNode set) {
        String name = set.get("name").asText();
        double probability = set.get("probability").asDouble();
        double alpha = set.get("alpha").asDouble();
        Interval control = checkGroup(set.get("control"), probability, alpha, name + " control");
        Interval treatment = checkGroup(set.get("treatment"), probability, alpha, name + " treatment");
        Percentiles.QuantileComparison actual = Percentiles.compare(control, treatment, alpha);
        assertTrue(actual.warnings().isEmpty(), name + " " + actual.warnings());
        JsonNode absolute = set.get("absolute");
        double se = absolute.get("std_error").asDouble();
        double scale = Math.abs(actual.controlQuantile());
        assertClose(absolute.get("estimate").asDouble(), actual.absolute().estimate(), ESTIMATE, ESTIMATE * scale,
                name + " delta");
        assertRelative(se, actual.absolute().stdError(), STATISTIC, name + " SE");
        assertClose(absolute.get("ci_lower").asDouble(), actual.absolute().lower(), STATISTIC, STATISTIC * se, name);
        assertClose(absolute.get("ci_upper").asDouble(), actual.absolute().upper(), STATISTIC, STATISTIC * se, name);
        JsonNode relative = set.get("relative");
        double seRelative = relative.get("std_error").asDouble();
        assertClose(relative.get("estimate").asDouble(), actual.relative().estimate(), ESTIMATE, ESTIMATE, name);
        assertRelative(seRelative, actual.relative().stdError(), STATISTIC, name + " relative SE");
        assertClose(relative.get("ci_lower").asDouble(), actual.relative().lower(), STATISTIC, STATISTIC * seRelative,
                name);
        assertClose(relative.get("ci_upper").asDouble(), actual.relative().upper(), STATISTIC, STATISTIC * seRelative,
                name);
        assertClose(set.get("p_value").asDouble(), actual.pValue(), STATISTIC, 1e-12, name + " p");
    }

    @TestFactory
    Stream<DynamicTest> power() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode set : reference().get("power")) {
            tests.add(DynamicTest.dynamicTest("power " + set.get("direction").asText() + " " + set.get("unit_variance"),
                    () -> checkPower(set)));
        }
        return tests.stream();
    }

    private static void checkPower(JsonNode set) {
        Direction direction = Direction.valueOf(set.get("direction").asText());
        double variance = set.get("unit_variance").asDouble();
        double mean = set.get("control_mean").asDouble();
        double alpha = set.get("alpha").asDouble();
        double power = set.get("power").asDouble();
        Power.MinimumDetectableEffect mde = Power.minimumDetectableEffect(variance, mean,
                set.get("control_units").asLong(), set.get("treatment_units").asLong(), alpha, power, direction);
        assertRelative(set.get("multiplier").asDouble(), mde.multiplier(), STATISTIC, "k");
        assertRelative(set.get("standard_error").asDouble(), mde.standardError(), ESTIMATE, "SE");
        assertRelative(set.get("mde_absolute").asDouble(), mde.absolute(), STATISTIC, "MDE");
        assertRelative(set.get("mde_relative").asDouble(), mde.relative(), STATISTIC, "relative MDE");
        Power.SampleSize size = Power.unitsNeeded(variance, mean, set.get("relative_target").asDouble(),
                set.get("treatment_share").asDouble(), alpha, power, direction);
        assertEquals(set.get("needed_control").asLong(), size.controlUnits(), "control units");
        assertEquals(set.get("needed_treatment").asLong(), size.treatmentUnits(), "treatment units");
        assertEquals(set.get("needed_total").asLong(), size.totalUnits(), "total units");
        assertEquals(set.get("days").asLong(), Power.daysNeeded(size.totalUnits(), set.get("units_per_day").asDouble()),
                "days");
    }
}
