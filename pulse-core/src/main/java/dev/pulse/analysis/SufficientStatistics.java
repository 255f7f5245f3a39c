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
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.Prior;
import dev.pulse.model.RelativeInterval;
import dev.pulse.model.Sequential;
import dev.pulse.model.SequentialMethod;
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
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code pulse stats}: results from per-group raw sums over units given as JSON (docs/cli.md#pulse-stats-input), the
 * shape peers such as GrowthBook's gbstats take. Every problem in the input is an
 * {@link PulseException.Category#INPUT_INVALID} naming the field.
 */
public final class SufficientStatistics {
    private static final Set<String> TYPES = Set.of("sum", "count", "count_distinct", "unit_count", "mean", "ratio",
            "first_value", "latest_value", "participation", "threshold", "retention");
    private static final Set<String> RATIO_TYPES = Set.of("mean", "ratio", "first_value", "latest_value", "participation");

    private SufficientStatistics() {}

    /**
     * The parsed input: alpha, control name and each metric's group sums.
     *
     * @param biasThreshold the pre-experiment bias check's family-wise threshold ({@code "bias_check": {"threshold"}},
     *                      default 0.001); the check runs over the metrics whose groups give pre-period sums
     */
    public record Input(double alpha, String control, AnalysisOptions options, List<MetricSums> metrics,
                        double biasThreshold) {
        public Input {
            metrics = List.copyOf(metrics);
        }

        /** An input with the default bias threshold. */
        public Input(double alpha, String control, AnalysisOptions options, List<MetricSums> metrics) {
            this(alpha, control, options, metrics, dev.pulse.model.BiasCheck.DEFAULT_THRESHOLD);
        }
    }

    /**
     * One metric's moments per group, in input order.
     *
     * @param pre per group, the moments of its pre-period sums over the same units ({@code "pre"}), for the
     *            pre-experiment bias check; empty when the input gives none
     */
    public record MetricSums(String metric, String type, Direction direction, Map<String, GroupMoments> groups,
                             Map<String, GroupMoments> pre) {
        public MetricSums {
            groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
            pre = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pre));
        }

        /** Without pre-period sums. */
        public MetricSums(String metric, String type, Direction direction, Map<String, GroupMoments> groups) {
            this(metric, type, direction, groups, Map.of());
        }
    }

    /** The largest input file read (16 MiB): sums per group are small, so larger files are refused unread. */
    public static final int MAX_BYTES = 16 << 20;

    /** The largest unit count accepted: beyond 2⁵³ a double no longer holds every whole number. */
    public static final long MAX_UNITS = 1L << 53;

    private static final List<String> TOP_FIELDS = List.of("alpha", "control", "metrics", "correction", "relative_ci",
            "method", "sequential", "prior", "bias_check");
    private static final List<String> METRIC_FIELDS = List.of("metric", "type", "direction", "groups");
    private static final List<String> GROUP_FIELDS = List.of("name", "n", "sum_x", "sum_x2", "pre");
    private static final List<String> RATIO_GROUP_FIELDS = List.of("name", "n", "sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy",
            "pre");
    private static final List<String> PRE_FIELDS = List.of("sum_x", "sum_x2");
    private static final List<String> RATIO_PRE_FIELDS = List.of("sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy");

    /** Reads and checks the input file. */
    public static Input read(Path file) {
        String text;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw invalid(file + ": larger than " + MAX_BYTES + " bytes (16 MiB), the most pulse stats reads");
            }
            text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw invalid(file + ": no such file");
        } catch (IOException e) {
            throw invalid(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses input text; {@code origin} names it in messages. */
    public static Input parse(String origin, String text) {
        if (text.isBlank()) {
            throw invalid(origin + ": the file is empty (expected a JSON object with \"control\" and \"metrics\";"
                    + " see docs/cli.md)");
        }
        JsonNode root;
        try {
            root = READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? origin : origin + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw invalid(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(origin + ": expected a JSON object with \"control\" and \"metrics\"");
        }
        knownFields(root, TOP_FIELDS, origin + ": ");
        double alpha = 0.05;
        if (root.has("alpha")) {
            JsonNode node = root.get("alpha");
            if (!node.isNumber() || !(node.asDouble() > 0 && node.asDouble() < 1)) {
                throw invalid(origin + ": alpha: expected a number between 0 and 1, got " + shortened(node));
            }
            alpha = node.asDouble();
        }
        String control = text(root, "control", origin);
        AnalysisOptions options = options(root, origin);
        double biasThreshold = dev.pulse.model.BiasCheck.DEFAULT_THRESHOLD;
        if (root.has("bias_check")) {
            String where = origin + ": bias_check";
            JsonNode node = object(root.get("bias_check"), where, "the bias check's settings");
            knownFields(node, List.of("threshold"), where + ".");
            if (node.has("threshold")) {
                biasThreshold = number(node, "threshold", where);
                if (!(biasThreshold > 0 && biasThreshold < 1)) {
                    throw invalid(where + ".threshold: expected a number between 0 and 1, got " + biasThreshold);
                }
            }
        }
        JsonNode metricsNode = root.get("metrics");
        if (metricsNode == null || !metricsNode.isArray() || metricsNode.isEmpty()) {
            throw invalid(origin + ": metrics: expected a non-empty array");
        }
        List<MetricSums> metrics = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int m = 0; m < metricsNode.size(); m++) {
            String path = "metrics[" + m + "]";
            JsonNode metricNode = object(metricsNode.get(m), origin + ": " + path, "a metric");
            knownFields(metricNode, METRIC_FIELDS, origin + ": " + path + ".");
            String name = text(metricNode, "metric", origin + ": " + path);
            if (!names.add(name)) {
                throw invalid(origin + ": " + path + ".metric: metric '" + name + "' appears twice");
            }
            String type = text(metricNode, "type", origin + ": " + path);
            if (!TYPES.contains(type)) {
                throw invalid(origin + ": " + path + ".type: expected one of " + String.join(", ", TYPES.stream().sorted().toList())
                        + ", got '" + type + "'" + dev.pulse.config.Suggestions.hint(type, TYPES));
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
            Map<String, GroupMoments> pre = new LinkedHashMap<>();
            for (int g = 0; g < groupsNode.size(); g++) {
                String groupPath = origin + ": " + path + ".groups[" + g + "]";
                JsonNode groupNode = object(groupsNode.get(g), groupPath, "a group");
                if (!ratio) {
                    for (String field : List.of("sum_y", "sum_y2", "sum_xy")) {
                        if (groupNode.has(field)) {
                            throw invalid(groupPath + "." + field + ": only mean, ratio, first_value, latest_value and"
                                    + " participation metrics have a denominator;"
                                    + " a " + type + " metric has Y ≡ 1 (remove " + field + ")");
                        }
                    }
                }
                knownFields(groupNode, ratio ? RATIO_GROUP_FIELDS : GROUP_FIELDS, groupPath + ".");
                String groupName = text(groupNode, "name", groupPath);
                String label = " (metric '" + dev.pulse.config.Suggestions.shortened(name) + "', group '"
                        + dev.pulse.config.Suggestions.shortened(groupName) + "')";
                String where = groupPath;
                Function<String, String> at = field -> where + (field.isEmpty() ? "" : "." + field) + label;
                long n = units(groupNode, at);
                double sumX = sum(groupNode, "sum_x", at);
                double sumX2 = sum(groupNode, "sum_x2", at);
                GroupMoments moments;
                if (ratio) {
                    double sumY = sum(groupNode, "sum_y", at);
                    double sumY2 = sum(groupNode, "sum_y2", at);
                    double sumXY = sum(groupNode, "sum_xy", at);
                    checkSums(at, n, new String[] {"sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy"},
                            new double[] {sumX, sumX2, sumY, sumY2, sumXY});
                    checkSquares(at, n, "x", sumX, sumX2);
                    checkSquares(at, n, "y", sumY, sumY2);
                    if (!Double.isFinite(sumX * sumY)) {
                        throw invalid(at.apply("sum_xy") + ": sum_x × sum_y overflows a double (" + sumX + " × " + sumY
                                + "): the sums are too large to analyse; rescale the values (say, to thousands)");
                    }
                    moments = moments(at.apply(""), () -> GroupMoments.ofSums(n, sumX, sumX2, sumY, sumY2, sumXY));
                } else {
                    checkSums(at, n, new String[] {"sum_x", "sum_x2"}, new double[] {sumX, sumX2});
                    checkSquares(at, n, "x", sumX, sumX2);
                    moments = moments(at.apply(""), () -> GroupMoments.ofSums(n, sumX, sumX2));
                }
                if (groupNode.has("pre")) {
                    pre.put(groupName, preMoments(groupNode.get("pre"), n, ratio, field -> at.apply("pre" + (field.isEmpty()
                            ? "" : "." + field))));
                }
                if (groups.put(groupName, moments) != null) {
                    throw invalid(groupPath + ".name: group '" + dev.pulse.config.Suggestions.shortened(groupName)
                            + "' appears twice");
                }
            }
            if (!groups.containsKey(control)) {
                throw invalid(origin + ": " + path + ": control group '" + control + "' is not among its groups "
                        + groups.keySet() + dev.pulse.config.Suggestions.hint(control, groups.keySet()));
            }
            if (!pre.isEmpty() && pre.size() != groups.size()) {
                List<String> missing = groups.keySet().stream().filter(group -> !pre.containsKey(group)).toList();
                throw invalid(origin + ": " + path + ".groups: pre-period sums (\"pre\") are given for some groups but"
                        + " not for " + missing + ": the bias check compares every group's pre-period with the control's");
            }
            metrics.add(new MetricSums(name, type, direction, groups, pre));
        }
        if (root.has("bias_check") && metrics.stream().allMatch(metric -> metric.pre().isEmpty())) {
            throw invalid(origin + ": bias_check: no metric gives pre-period sums (\"pre\": {\"sum_x\", \"sum_x2\", …}"
                    + " in each group) to check");
        }
        return new Input(alpha, control, options, metrics, biasThreshold);
    }

    /** A group's pre-period sums over its {@code n} units, checked as its analysis-period sums are. */
    private static GroupMoments preMoments(JsonNode node, long n, boolean ratio, Function<String, String> at) {
        object(node, at.apply(""), "the pre-period sums");
        knownFields(node, ratio ? RATIO_PRE_FIELDS : PRE_FIELDS, at.apply("") + ".");
        double sumX = sum(node, "sum_x", at);
        double sumX2 = sum(node, "sum_x2", at);
        if (!ratio) {
            checkSums(at, n, new String[] {"sum_x", "sum_x2"}, new double[] {sumX, sumX2});
            checkSquares(at, n, "x", sumX, sumX2);
            return moments(at.apply(""), () -> GroupMoments.ofSums(n, sumX, sumX2));
        }
        double sumY = sum(node, "sum_y", at);
        double sumY2 = sum(node, "sum_y2", at);
        double sumXY = sum(node, "sum_xy", at);
        checkSums(at, n, new String[] {"sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy"},
                new double[] {sumX, sumX2, sumY, sumY2, sumXY});
        checkSquares(at, n, "x", sumX, sumX2);
        checkSquares(at, n, "y", sumY, sumY2);
        if (!Double.isFinite(sumX * sumY)) {
            throw invalid(at.apply("sum_xy") + ": sum_x × sum_y overflows a double: rescale the values");
        }
        return moments(at.apply(""), () -> GroupMoments.ofSums(n, sumX, sumX2, sumY, sumY2, sumXY));
    }

    /**
     * The pre-experiment bias check over the metrics that give pre-period sums (docs/cuped-sequential-bayesian.md
     * §4); empty when none does. CUPED is not offered here, so nothing is corrected for.
     */
    public static Optional<BiasCheckResult> biasCheck(Input input) {
        List<MetricComparisons.MetricSpec> specs = new ArrayList<>();
        Map<dev.pulse.model.MetricName, Map<String, GroupMoments>> pre = new LinkedHashMap<>();
        List<String> groups = new ArrayList<>();
        for (MetricSums metric : input.metrics()) {
            if (metric.pre().isEmpty()) {
                continue;
            }
            specs.add(spec(metric));
            pre.put(new dev.pulse.model.MetricName(metric.metric()), metric.pre());
            metric.groups().keySet().stream().filter(group -> !groups.contains(group)).forEach(groups::add);
        }
        if (specs.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BiasCheckResult.of(java.util.OptionalInt.empty(), input.biasThreshold(), input.control(),
                    groups, specs, pre, (metric, group) -> false));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid("the pre-period sums cannot be analysed in double precision (" + e.getMessage()
                    + "); rescale the values (say, to thousands)");
        }
    }

    private static MetricComparisons.MetricSpec spec(MetricSums metric) {
        return new MetricComparisons.MetricSpec(metric.metric(), metric.type(), metric.direction(),
                RATIO_TYPES.contains(metric.type()), false);
    }

    private static final com.fasterxml.jackson.databind.ObjectReader READER = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    /** {@code node} when it is a JSON object; otherwise what was expected there. */
    private static JsonNode object(JsonNode node, String where, String what) {
        if (node == null || !node.isObject()) {
            throw invalid(where + ": expected " + what + " as a JSON object, got " + shortened(node));
        }
        return node;
    }

    /** Refuses a field that is not in {@code allowed}, with a did-you-mean, as the config does. */
    private static void knownFields(JsonNode node, List<String> allowed, String where) {
        for (java.util.Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw invalid(where + field + ": unknown field '" + dev.pulse.config.Suggestions.shortened(field) + "'"
                        + dev.pulse.config.Suggestions.closest(field, allowed).map(c -> " (did you mean '" + c + "'?)")
                                .orElse(" (expected one of: " + String.join(", ", allowed) + ")"));
            }
        }
    }

    /** The unit count {@code n}: a whole number from 0 to {@link #MAX_UNITS}. */
    private static long units(JsonNode group, Function<String, String> at) {
        JsonNode value = group.get("n");
        String expected = at.apply("n") + ": expected a whole number of units from 0 to " + MAX_UNITS;
        if (value == null) {
            throw invalid(expected + " (missing)");
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw invalid(expected + ", got " + shortened(value));
        }
        java.math.BigDecimal exact = value.decimalValue();
        if (exact.signum() < 0 || exact.stripTrailingZeros().scale() > 0
                || exact.compareTo(java.math.BigDecimal.valueOf(MAX_UNITS)) > 0) {
            throw invalid(expected + ", got " + shortened(value));
        }
        return exact.longValueExact();
    }

    /** Sums a data set can have: sums of squares not negative, all sums 0 for a group with no units. */
    private static void checkSums(Function<String, String> at, long n, String[] fields, double[] values) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].endsWith("2") && values[i] < 0) {
                throw invalid(at.apply(fields[i]) + ": a sum of squares cannot be negative, got " + values[i]);
            }
            if (n == 0 && Double.compare(Math.abs(values[i]), 0.0) != 0) {
                throw invalid(at.apply(fields[i]) + ": n is 0, so every sum must be 0, got " + values[i]);
            }
        }
    }

    /**
     * The sum of squares of {@code variable} cannot be below {@code sum²/n} (the variance would be
     * negative), beyond the rounding {@link GroupMoments#ofSums} tolerates; and {@code sum²} must not
     * overflow a double.
     */
    private static void checkSquares(Function<String, String> at, long n, String variable, double sum,
            double sumSquares) {
        if (n == 0) {
            return;
        }
        double squared = sum * sum;
        if (!Double.isFinite(squared)) {
            throw invalid(at.apply("sum_" + variable) + ": its square overflows a double (" + sum
                    + "): the sums are too large to analyse; rescale the values (say, to thousands)");
        }
        double correction = squared / n;
        if (sumSquares < correction && correction - sumSquares > 1e-8 * Math.max(sumSquares, correction)) {
            throw invalid(at.apply("sum_" + variable + "2") + ": " + sumSquares + " is below sum_" + variable + "²/n = "
                    + correction + ": no data set has these sums (its variance would be negative)");
        }
    }

    /** The group's moments; sums no data set can have (a covariance beyond its bound) are bad input. */
    private static GroupMoments moments(String where, java.util.function.Supplier<GroupMoments> moments) {
        try {
            return moments.get();
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": no data set has these sums: " + e.getMessage());
        }
    }

    private static String shortened(JsonNode node) {
        return node == null ? "nothing" : dev.pulse.config.Suggestions.shortened(node.toString());
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
            String where = origin + ": sequential";
            JsonNode node = object(root.get("sequential"), where, "the sequential settings");
            knownFields(node, List.of("method", "min_units", "tau", "tuning"), where + ".");
            SequentialMethod sequentialMethod = node.has("method")
                    ? choice(node, "method", SequentialMethod.values(), SequentialMethod::configName, where)
                    : SequentialMethod.MSPRT;
            double minUnits = node.has("min_units") ? number(node, "min_units", where) : AlwaysValidInference.MINIMUM_UNITS;
            if (minUnits < 1 || minUnits != Math.rint(minUnits) || minUnits > MAX_UNITS) {
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
            OptionalDouble tuning = OptionalDouble.empty();
            if (node.has("tuning")) {
                double value = number(node, "tuning", where);
                if (!(value > 0)) {
                    throw invalid(where + ".tuning: expected a number > 0 (GrowthBook's N*, such as 5000)");
                }
                tuning = OptionalDouble.of(value);
            }
            if (sequentialMethod == SequentialMethod.GROWTHBOOK && tau.isPresent()) {
                throw invalid(where + ".tau: only for the msprt method; \"method\": \"growthbook\" takes \"tuning\"");
            }
            if (sequentialMethod == SequentialMethod.MSPRT && tuning.isPresent()) {
                throw invalid(where + ".tuning: only with \"method\": \"growthbook\"");
            }
            sequential = Optional.of(new Sequential((long) minUnits, sequentialMethod, tau, tuning));
        }
        Optional<Prior> prior = Optional.empty();
        if (root.has("prior")) {
            if (method != InferenceMethod.BAYESIAN) {
                throw invalid(origin + ": prior: only used with \"method\": \"bayesian\"");
            }
            JsonNode node = object(root.get("prior"), origin + ": prior", "the prior");
            knownFields(node, List.of("mean", "sd"), origin + ": prior.");
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
        List<String> names = Arrays.stream(values).map(name).toList();
        throw invalid(where + "." + field + ": expected one of " + String.join(", ", names) + ", got '"
                + dev.pulse.config.Suggestions.shortened(text) + "'" + dev.pulse.config.Suggestions.hint(text, names));
    }

    /** Every treatment against the control, per metric. */
    public static List<MetricResult> analyze(Input input) {
        return analyze(input, Optional.empty());
    }

    /**
     * Every treatment against the control, per metric, with the group-sequential test at {@code looks}
     * ({@link #plannedLooks}); exclusive with the input's {@code sequential} settings.
     */
    public static List<MetricResult> analyze(Input input, Optional<LookPosition> looks) {
        if (looks.isPresent() && input.options().sequential().isPresent()) {
            throw invalid("planned looks (--look-fractions) and the input's \"sequential\" settings are two ways to"
                    + " look early; keep one");
        }
        try {
            return compare(input, looks);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid("the sums cannot be analysed in double precision (" + e.getMessage()
                    + "); rescale the values (say, to thousands)");
        }
    }

    /**
     * The position of a {@code pulse stats} analysis among planned looks: look {@code look} (1-based; 0 for
     * the last) of looks at information fractions {@code fractions}, strictly increasing in (0, 1], with the
     * spending function named as in the config ({@code obrien_fleming} or {@code pocock}).
     */
    public static LookPosition plannedLooks(List<Double> fractions, int look, String spending) {
        if (fractions.isEmpty() || fractions.size() > PlannedLooks.MAX_LOOKS) {
            throw invalid("--look-fractions: expected 1 to " + PlannedLooks.MAX_LOOKS + " fractions, such as 0.25,0.5,1");
        }
        for (int i = 0; i < fractions.size(); i++) {
            double previous = i == 0 ? 0 : fractions.get(i - 1);
            double fraction = fractions.get(i);
            if (!(fraction > previous && fraction <= 1)) {
                throw invalid("--look-fractions: expected strictly increasing fractions in (0, 1], such as 0.25,0.5,1;"
                        + " got " + fractions);
            }
        }
        int current = look == 0 ? fractions.size() : look;
        if (current < 1 || current > fractions.size()) {
            throw invalid("--look: expected 1 to " + fractions.size() + " (a look among --look-fractions), got " + look);
        }
        List<String> names = Arrays.stream(PlannedLooks.Spending.values()).map(PlannedLooks.Spending::configName).toList();
        PlannedLooks.Spending chosen = Arrays.stream(PlannedLooks.Spending.values())
                .filter(value -> value.configName().equals(spending)).findFirst()
                .orElseThrow(() -> invalid("--spending: expected one of " + String.join(", ", names) + ", got '"
                        + dev.pulse.config.Suggestions.shortened(spending) + "'"
                        + dev.pulse.config.Suggestions.hint(spending, names)));
        return LookPosition.atFraction(fractions, current, chosen);
    }

    private static List<MetricResult> compare(Input input, Optional<LookPosition> looks) {
        MetricComparisons.Settings settings = looks
                .map(position -> new MetricComparisons.Settings(input.control(), input.alpha(), input.options(), position))
                .orElseGet(() -> new MetricComparisons.Settings(input.control(), input.alpha(), input.options()));
        List<MetricComparisons.MetricSpec> specs = new ArrayList<>();
        List<MetricResult> results = new ArrayList<>();
        List<MetricEvidence> evidence = new ArrayList<>();
        for (MetricSums metric : input.metrics()) {
            MetricComparisons.MetricSpec spec = spec(metric);
            specs.add(spec);
            MetricEvidence.Moments moments = new MetricEvidence.Moments(metric.groups(), Map.of(), OptionalLong.empty());
            evidence.add(moments);
            results.add(moments.compare(settings, spec, List.copyOf(metric.groups().keySet())));
        }
        return Corrections.apply(settings, specs, results, evidence);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw invalid(where + "." + field + ": expected a non-empty string");
        }
        return value.asText();
    }

    private static double sum(JsonNode group, String field, Function<String, String> at) {
        JsonNode value = group.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw invalid(at.apply(field) + ": expected a finite number"
                    + (value == null ? " (missing)" : ", got " + shortened(value)));
        }
        return value.asDouble();
    }

    private static double number(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw invalid(where + "." + field + ": expected a finite number"
                    + (value == null ? " (missing)" : ", got " + shortened(value)));
        }
        return value.asDouble();
    }

    private static PulseException invalid(String message) {
        return new PulseException(PulseException.Category.INPUT_INVALID, message);
    }
}
