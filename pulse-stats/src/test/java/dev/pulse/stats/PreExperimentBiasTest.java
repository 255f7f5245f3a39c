package dev.pulse.stats;

import static dev.pulse.stats.Tolerance.assertClose;
import static dev.pulse.stats.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-experiment bias check against {@code reference/bias_reference.json}, written by
 * {@code src/test/python/make_reference_bias.py} (numpy 2.4 + scipy 1.17; command and versions in the JSON):
 * pre-period values, differences and SEs from the raw per-unit rows by explicit linearization, Welch p-values
 * from scipy, Bonferroni over the family. Estimates to 1e-9, everything else to 1e-6; and hand-worked cases.
 */
class PreExperimentBiasTest {

    private static final double ESTIMATE = 1e-9;
    private static final double STATISTIC = 1e-6;

    private static JsonNode reference() throws IOException {
        try (InputStream in = PreExperimentBiasTest.class.getResourceAsStream("/reference/bias_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static GroupMoments moments(JsonNode node) {
        return new GroupMoments(node.get("n").asLong(), node.get("mean_x").asDouble(), node.get("mean_y").asDouble(),
                node.get("var_x").asDouble(), node.get("var_y").asDouble(), node.get("cov_xy").asDouble());
    }

    @Test
    void matchesTheReferenceFromRawUnits() throws IOException {
        JsonNode reference = reference();
        List<PreExperimentBias.Input> inputs = new ArrayList<>();
        for (JsonNode input : reference.get("inputs")) {
            inputs.add(new PreExperimentBias.Input(input.get("metric").asText(), input.get("treatment").asText(),
                    moments(input.get("control")), moments(input.get("treated"))));
        }
        PreExperimentBias.Result result = PreExperimentBias.check(inputs, reference.get("threshold").asDouble());
        assertEquals(reference.get("family_size").asInt(), result.familySize());
        JsonNode expected = reference.get("expected");
        int flagged = 0;
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            PreExperimentBias.Finding got = result.findings().get(i);
            String what = got.input().metric() + "/" + got.input().treatment() + " ";
            Comparison c = got.comparison();
            assertRelative(want.get("control_mean").asDouble(), c.controlMean(), ESTIMATE, what + "control mean");
            assertRelative(want.get("treatment_mean").asDouble(), c.treatmentMean(), ESTIMATE, what + "treatment mean");
            assertClose(want.get("difference").asDouble(), c.absolute().estimate(), ESTIMATE,
                    ESTIMATE * Math.abs(want.get("control_mean").asDouble()), what + "difference");
            assertRelative(want.get("std_error").asDouble(), c.absolute().stdError(), STATISTIC, what + "SE");
            assertRelative(want.get("degrees_of_freedom").asDouble(), c.degreesOfFreedom(), STATISTIC, what + "nu");
            assertClose(want.get("p_value").asDouble(), c.pValue(), STATISTIC, 1e-12, what + "p");
            assertClose(want.get("adjusted_p_value").asDouble(), got.adjustedPValue(), STATISTIC, 1e-12,
                    what + "adjusted p");
            double se = want.get("std_error").asDouble();
            assertClose(want.get("ci_lower").asDouble(), c.absolute().lower(), STATISTIC, STATISTIC * se, what + "lower");
            assertClose(want.get("ci_upper").asDouble(), c.absolute().upper(), STATISTIC, STATISTIC * se, what + "upper");
            assertEquals(want.get("flagged").asBoolean(), got.flagged(), what + "flagged");
            // the interval at threshold / m excludes 0 exactly when the test is flagged
            assertEquals(got.flagged(), c.absolute().lower() > 0 || c.absolute().upper() < 0, what + "interval");
            flagged += got.flagged() ? 1 : 0;
        }
        assertEquals(2, flagged, "the reference's imbalanced arm is flagged on both metrics, the other arm on none");
        assertTrue(result.anyFlagged());
    }

    /**
     * Hand-worked, Y ≡ 1: control n = 4 with pre values 1, 2, 3, 4 (mean 2.5, s² = 5/3); treatment 5, 6, 7, 8
     * (mean 6.5, s² = 5/3). Δ = 4, SE = √(2·(5/3)/4) = √(5/6), t = 4/√(5/6) = 4.3818, ν = 6; two-sided
     * p = 2·P(T₆ > 4.3818) = 0.0046592 (2·scipy.stats.t.sf(4.381780, 6) = 0.004659215). Alone in its family,
     * m = 1: flagged at 0.01, not at the default 0.001; with a second, undefined test (one unit) m stays 1.
     */
    @Test
    void handWorkedWelchOnPreValues() {
        GroupMoments control = GroupMoments.ofSums(4, 10, 30);
        GroupMoments treated = GroupMoments.ofSums(4, 26, 174);
        PreExperimentBias.Input input = new PreExperimentBias.Input("m", "t", control, treated);
        PreExperimentBias.Input undefined = new PreExperimentBias.Input("n", "t", control, GroupMoments.ofSums(1, 3, 9));
        PreExperimentBias.Result atDefault = PreExperimentBias.check(List.of(input, undefined),
                PreExperimentBias.DEFAULT_THRESHOLD);
        assertEquals(1, atDefault.familySize());
        PreExperimentBias.Finding finding = atDefault.findings().get(0);
        assertEquals(4.0, finding.comparison().absolute().estimate(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 6.0), finding.comparison().absolute().stdError(), 1e-12);
        assertEquals(6.0, finding.comparison().degreesOfFreedom(), 1e-9);
        assertEquals(0.004659215, finding.comparison().pValue(), 1e-6);
        assertFalse(finding.flagged());
        assertNull(atDefault.findings().get(1).adjustedPValue());
        assertFalse(atDefault.findings().get(1).flagged());
        assertTrue(PreExperimentBias.check(List.of(input, undefined), 0.01).findings().get(0).flagged());
        // Bonferroni: the same test twice doubles the adjusted p-value; 2·0.0046592 is still below 0.01, not three times
        assertEquals(2 * finding.comparison().pValue(),
                PreExperimentBias.check(List.of(input, input), 0.01).findings().get(0).adjustedPValue(), 1e-15);
        assertFalse(PreExperimentBias.check(List.of(input, input, input), 0.01).findings().get(0).flagged());
    }

    @Test
    void swappingTheGroupsFlipsTheDifferenceAndKeepsThePValue() {
        GroupMoments a = new GroupMoments(300, 12.5, 3.1, 40.0, 2.0, 7.5);
        GroupMoments b = new GroupMoments(280, 14.0, 3.0, 45.0, 2.2, 8.0);
        Comparison ab = PreExperimentBias.check(List.of(new PreExperimentBias.Input("m", "b", a, b)), 0.001)
                .findings().get(0).comparison();
        Comparison ba = PreExperimentBias.check(List.of(new PreExperimentBias.Input("m", "a", b, a)), 0.001)
                .findings().get(0).comparison();
        assertEquals(-ab.absolute().estimate(), ba.absolute().estimate(), 1e-12);
        assertEquals(ab.pValue(), ba.pValue(), 1e-12);
    }

    @Test
    void rejectsAThresholdOutsideZeroAndOne() {
        assertThrows(IllegalArgumentException.class, () -> PreExperimentBias.check(List.of(), 0.0));
        assertThrows(IllegalArgumentException.class, () -> PreExperimentBias.check(List.of(), 1.0));
        assertEquals(0, PreExperimentBias.check(List.of(), 0.001).familySize());
    }
}
