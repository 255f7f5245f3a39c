package dev.pulse.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Results as JSON, exactly the names of DESIGN §7. Undefined statistics are {@code null}, never NaN.
 * Fields beyond §7 ({@code srm.chi_square}, {@code degrees_of_freedom}, {@code sql} is left out) are
 * additions, never renamings.
 */
public final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {}

    /** {@code {"experiments": [...]}} for {@code pulse analyze}. */
    public static String experiments(List<ExperimentResult> results) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode experiments = root.putArray("experiments");
        for (ExperimentResult result : results) {
            experiments.add(experiment(result));
        }
        return write(root);
    }

    /** {@code {"alpha": …, "metrics": [...]}} for {@code pulse stats}. */
    public static String metrics(double alpha, List<MetricResult> metrics) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("alpha", alpha);
        ArrayNode array = root.putArray("metrics");
        metrics.forEach(metric -> array.add(metric(metric)));
        return write(root);
    }

    private static ObjectNode experiment(ExperimentResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("experiment", result.experiment());
        node.put("unit", result.unit());
        node.put("engine", result.engine());
        node.put("start", result.start().toString());
        if (result.end().isPresent()) {
            node.put("end", result.end().get().toString());
        } else {
            node.putNull("end");
        }
        node.put("alpha", result.alpha());
        ArrayNode groups = node.putArray("groups");
        for (ExperimentResult.GroupCount group : result.groups()) {
            groups.addObject()
                    .put("name", group.name())
                    .put("units", group.units())
                    .put("expected_share", group.expectedShare());
        }
        node.putObject("excluded_units")
                .put("multiple_groups", result.excludedMultipleGroups())
                .put("unknown_group", result.excludedUnknownGroup());
        if (result.srm().isPresent()) {
            ExperimentResult.Srm srm = result.srm().get();
            node.putObject("srm")
                    .put("p_value", srm.pValue())
                    .put("passed", srm.passed())
                    .put("chi_square", srm.chiSquare())
                    .put("degrees_of_freedom", srm.degreesOfFreedom());
        } else {
            node.putNull("srm");
        }
        ArrayNode metrics = node.putArray("metrics");
        result.metrics().forEach(metric -> metrics.add(metric(metric)));
        ArrayNode warnings = node.putArray("warnings");
        result.warnings().forEach(warnings::add);
        return node;
    }

    private static ObjectNode metric(MetricResult metric) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("metric", metric.metric());
        node.put("type", metric.type());
        ArrayNode comparisons = node.putArray("comparisons");
        for (MetricResult.GroupComparison comparison : metric.comparisons()) {
            Comparison stats = comparison.statistics();
            ObjectNode c = comparisons.addObject();
            c.put("group", comparison.group());
            c.put("control", comparison.control());
            c.put("control_mean", stats.controlMean());
            c.put("treatment_mean", stats.treatmentMean());
            c.put("control_units", stats.controlUnits());
            c.put("treatment_units", stats.treatmentUnits());
            interval(c.putObject("absolute"), stats.absolute());
            interval(c.putObject("relative"), stats.relative());
            c.put("p_value", stats.pValue());
            c.put("significant", stats.significant());
            c.put("degrees_of_freedom", stats.degreesOfFreedom());
            ArrayNode warnings = c.putArray("warnings");
            stats.warnings().forEach(warnings::add);
        }
        return node;
    }

    private static void interval(ObjectNode node, Interval interval) {
        node.put("estimate", interval.estimate());
        node.put("std_error", interval.stdError());
        node.put("ci_lower", interval.lower());
        node.put("ci_upper", interval.upper());
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
