package dev.pulse.analysis;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.error.PulseException;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Correction;
import dev.pulse.model.Direction;
import dev.pulse.model.InferenceMethod;
import dev.pulse.model.Prior;
import dev.pulse.model.RelativeInterval;
import dev.pulse.model.Sequential;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.GroupMoments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pulse stats}: results from per-group raw sums over units given as JSON (DESIGN §6), the
 * shape peers such as GrowthBook's gbstats take. Every problem in the input is an
 * {@link PulseException.Category#INPUT_INVALID} naming the field.
 */
public final class SufficientStatistics {
    private static final Set<String> TYPES = Set.of("sum", "count", "count_distinct", "unit_count", "mean", "ratio");
    private static final Set<String> RATIO_TYPES = Set.of("mean", "ratio");

    private SufficientStatistics() {}

    /** The parsed input: alpha, control name and each metric's group sums. */
    public record Input(double alpha, String control, AnalysisOptions options, List<MetricSums> metrics) {
        public Input {
            metrics = List.copyOf(metrics);
        }
    }

    /** One metric's moments per group, in input order. */
    public record MetricSums(String metric, String type, Direction direction, Map<String, GroupMoments> groups) {
        public MetricSums {
            groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        }
    }

    /** Reads and checks the input file. */
    public static Input read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw invalid(file + ": no such file");
        } catch (IOException e) {
            throw invalid(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses input text; {@code origin} names it in messages. */
    public static Input parse(String origin, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? origin : origin + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw invalid(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(origin + ": expected a JSON object with \"control\" and \"metrics\"");
        }
        double alpha = 0.05;
        if (root.has("alpha")) {
            JsonNode node = root.get("alpha");
            if (!node.isNumber() || !(node.asDouble() > 0 && node.asDouble() < 1)) {
                throw invalid(origin + ": alpha: expected a number between 0 and 1, got " + node);
            }
            alpha = node.asDouble();
        }
        String control = text(root, "control", origin);
        AnalysisOptions options = options(root, origin);
        JsonNode metricsNode = root.get("metrics");
        if (metricsNode == null || !metricsNode.isArray() || metricsNode.isEmpty()) {
            throw invalid(origin + ": metrics: expected a non-empty array");
        }
        List<MetricSums> metrics = new ArrayList<>();
        for (int m = 0; m < metricsNode.size(); m++) {
            String path = "metrics[" + m + "]";
            JsonNode metricNode = metricsNode.get(m);
            String name = text(metricNode, "metric", origin + ": " + path);
            String type = text(metricNode, "type", origin + ": " + path);
            if (!TYPES.contains(type)) {
                throw invalid(origin + ": " + path + ".type: expected one of " + String.join(", ", TYPES.stream().sorted().toList())
                        + ", got '" + type + "'");
            }
            boolean ratio = RATIO_TYPES.contains(type);
            Direction direction = metricNode.has("direction")
                    ? choice(metricNode, "direction", Direction.values(), Direction::configName, origin + ": " + path)
                    : Direction.TWO_SIDED;
            JsonNode groupsNode = metricNode.get("groups");
            if (groupsNode == null || !groupsNode.isArray() || groupsNode.size() < 2) {
                throw invalid(origin + ": " + path + ".groups: expected an array of at least two groups");
            }
            Map<String, GroupMoments> groups = new LinkedHashMap<>();
            for (int g = 0; g < groupsNode.size(); g++) {
                String groupPath = origin + ": " + path + ".groups[" + g + "]";
                JsonNode groupNode = groupsNode.get(g);
                String groupName = text(groupNode, "name", groupPath);
                double n = number(groupNode, "n", groupPath);
                if (n < 0 || n != Math.rint(n)) {
                    throw invalid(groupPath + ".n: expected a whole number of units >= 0, got " + groupNode.get("n"));
                }
                double sumX = number(groupNode, "sum_x", groupPath);
                double sumX2 = number(groupNode, "sum_x2", groupPath);
                GroupMoments moments;
                if (ratio) {
                    moments = GroupMoments.ofSums((long) n, sumX, sumX2,
                            number(groupNode, "sum_y", groupPath), number(groupNode, "sum_y2", groupPath),
                            number(groupNode, "sum_xy", groupPath));
                } else {
                    moments = GroupMoments.ofSums((long) n, sumX, sumX2);
                }
                if (groups.put(groupName, moments) != null) {
                    throw invalid(groupPath + ".name: group '" + groupName + "' appears twice");
                }
            }
            if (!groups.containsKey(control)) {
                throw invalid(origin + ": " + path + ": control group '" + control + "' is not among its groups "
                        + groups.keySet());
            }
            metrics.add(new MetricSums(name, type, direction, groups));
        }
        return new Input(alpha, control, options, metrics);
    }

    /** The optional analysis settings, named as in the config (CUPED needs the warehouse and is not offered). */
    private static AnalysisOptions options(JsonNode root, String origin) {
        Correction correction = root.has("correction")
                ? choice(root, "correction", Correction.values(), Correction::configName, origin) : Correction.NONE;
        RelativeInterval relative = root.has("relative_ci")
                ? choice(root, "relative_ci", RelativeInterval.values(), RelativeInterval::configName, origin)
                : RelativeInterval.DELTA;
        InferenceMethod method = root.has("method")
                ? choice(root, "method", InferenceMethod.values(), InferenceMethod::configName, origin)
                : InferenceMethod.FREQUENTIST;
        Optional<Sequential> sequential = Optional.empty();
        if (root.has("sequential")) {
            JsonNode node = root.get("sequential");
            String where = origin + ": sequential";
            double minUnits = node.has("min_units") ? number(node, "min_units", where) : AlwaysValidInference.MINIMUM_UNITS;
            if (minUnits < 1 || minUnits != Math.rint(minUnits)) {
                throw invalid(where + ".min_units: expected a whole number >= 1");
            }
            OptionalDouble tau = OptionalDouble.empty();
            if (node.has("tau")) {
                double value = number(node, "tau", where);
                if (!(value > 0)) {
                    throw invalid(where + ".tau: expected a number > 0");
                }
                tau = OptionalDouble.of(value);
            }
            sequential = Optional.of(new Sequential((long) minUnits, tau));
        }
        Optional<Prior> prior = Optional.empty();
        if (root.has("prior")) {
            if (method != InferenceMethod.BAYESIAN) {
                throw invalid(origin + ": prior: only used with \"method\": \"bayesian\"");
            }
            JsonNode node = root.get("prior");
            double mean = node.has("mean") ? number(node, "mean", origin + ": prior") : 0;
            double sd = number(node, "sd", origin + ": prior");
            if (!(sd > 0)) {
                throw invalid(origin + ": prior.sd: expected a number > 0");
            }
            prior = Optional.of(new Prior(mean, sd));
        }
        return new AnalysisOptions(Optional.empty(), correction, relative, sequential, method, prior);
    }

    private static <E> E choice(JsonNode node, String field, E[] values, Function<E, String> name, String where) {
        String text = text(node, field, where);
        for (E value : values) {
            if (name.apply(value).equals(text)) {
                return value;
            }
        }
        throw invalid(where + "." + field + ": expected one of "
                + String.join(", ", Arrays.stream(values).map(name).toList()) + ", got '" + text + "'");
    }

    /** Every treatment against the control, per metric. */
    public static List<MetricResult> analyze(Input input) {
        MetricComparisons.Settings settings = new MetricComparisons.Settings(input.control(), input.alpha(), input.options());
        List<MetricComparisons.MetricSpec> specs = new ArrayList<>();
        List<MetricResult> results = new ArrayList<>();
        Map<String, Map<String, GroupMoments>> moments = new LinkedHashMap<>();
        for (MetricSums metric : input.metrics()) {
            MetricComparisons.MetricSpec spec = new MetricComparisons.MetricSpec(metric.metric(), metric.type(),
                    metric.direction(), RATIO_TYPES.contains(metric.type()));
            specs.add(spec);
            moments.put(metric.metric(), metric.groups());
            results.add(MetricComparisons.compare(settings, spec, List.copyOf(metric.groups().keySet()),
                    metric.groups(), Map.of()));
        }
        return Corrections.apply(settings, specs, results, moments, Map.of(), Map.of());
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw invalid(where + "." + field + ": expected a non-empty string");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw invalid(where + "." + field + ": expected a finite number" + (value == null ? " (missing)" : ", got " + value));
        }
        return value.asDouble();
    }

    private static PulseException invalid(String message) {
        return new PulseException(PulseException.Category.INPUT_INVALID, message);
    }
}
