package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.MetricName;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;

import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The numbers of {@link ValueParticipationMomentsTest}'s data set against an independent reference computed from
 * the raw CSV rows by {@code src/test/python/reference_value_participation.py} (numpy; its output
 * {@code value_participation/reference.json} is checked in): every group's moments of X and Y, under CUPED those
 * of X₀ and Y₀ with the cross covariances, the units left out for an open window, the units with a value (ΣY), and
 * the delta-method difference with its standard error.
 */
class ValueParticipationReferenceTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void everyMomentAndDifferenceMatchesTheReferenceFromTheRawRows() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/value_participation/reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        ValueParticipationMomentsTest data = new ValueParticipationMomentsTest();
        data.temp = java.nio.file.Files.createTempDirectory("pulse-value-participation");
        data.createData();
        try {
            ExperimentData plain = MomentsFetcher.fetch(ValueParticipationMomentsTest.config(false),
                    ValueParticipationMomentsTest.EXP, data.warehouse());
            ExperimentData cuped = MomentsFetcher.fetch(ValueParticipationMomentsTest.config(true),
                    ValueParticipationMomentsTest.EXP, data.warehouse());
            ExperimentResult result = Analyzer.results(ValueParticipationMomentsTest.config(false),
                    ValueParticipationMomentsTest.EXP, plain);
            assertEquals(reference.get("units").get("control").asLong(), plain.units().get("control"));
            assertEquals(reference.get("units").get("treat").asLong(), plain.units().get("treat"));
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = reference.get("metrics").fields(); it.hasNext(); checked++) {
                Map.Entry<String, JsonNode> entry = it.next();
                MetricName metric = new MetricName(entry.getKey());
                JsonNode expected = entry.getValue();
                assertEquals(expected.get("excluded_window_open").asLong(),
                        plain.excludedWindowOpen().getOrDefault(metric, 0L).longValue(), metric + " window open");
                for (String group : List.of("control", "treat")) {
                    JsonNode g = expected.get("groups").get(group);
                    String at = metric + " " + group;
                    GroupMoments post = plain.moments().get(metric).get(group).withShift(0);
                    assertEquals(g.get("n").asLong(), post.n(), at + " n");
                    close(g, "mean_x", post.meanX(), at);
                    close(g, "mean_y", post.meanY(), at);
                    close(g, "var_x", post.varX(), at);
                    close(g, "var_y", post.varY(), at);
                    close(g, "cov_xy", post.covXY(), at);
                    CovariateMoments covariate = cuped.covariates().get(metric).get(group).withShifts(0, 0);
                    GroupMoments pre = covariate.pre();
                    close(g, "mean_x0", pre.meanX(), at);
                    close(g, "mean_y0", pre.meanY(), at);
                    close(g, "var_x0", pre.varX(), at);
                    close(g, "var_y0", pre.varY(), at);
                    close(g, "cov_x0y0", pre.covXY(), at);
                    close(g, "cov_xx0", covariate.covXX0(), at);
                    close(g, "cov_xy0", covariate.covXY0(), at);
                    close(g, "cov_yx0", covariate.covYX0(), at);
                    close(g, "cov_yy0", covariate.covYY0(), at);
                }
                MetricResult metricResult = result.metrics().stream()
                        .filter(m -> m.metric().equals(metric.value())).findFirst().orElseThrow();
                Comparison comparison = metricResult.comparisons().get(0).statistics();
                close(expected, "control_value", comparison.controlMean(), metric.value());
                close(expected, "treatment_value", comparison.treatmentMean(), metric.value());
                close(expected, "absolute_estimate", comparison.absolute().estimate(), metric.value());
                close(expected, "absolute_std_error", comparison.absolute().stdError(), metric.value());
                if (!metricResult.unitsWithValue().isEmpty()) {
                    for (String group : List.of("control", "treat")) {
                        assertEquals(Math.round(expected.get("groups").get(group).get("sum_y").asDouble()),
                                metricResult.unitsWithValue().get(group), metric + " units with a value");
                    }
                }
            }
            assertEquals(4, checked, "metrics in the reference");
        } finally {
            data.close();
        }
    }

    private static void close(JsonNode node, String field, double actual, String at) {
        double expected = node.get(field).asDouble();
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), at + " " + field);
    }
}
