package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pulse.model.Engine;
import dev.pulse.model.MetricType;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The JSON Schema of {@code pulse.yaml} ({@link ConfigSchema}): the checked-in {@code schema/pulse.schema.json} is the
 * generated one, every valid config in the repository passes it (a real draft-07 validator, networknt), the bad-config
 * fixtures whose problems are structural fail it, and every key a section of the validator allows is in it.
 */
class ConfigSchemaTest {
    private static final Path CHECKED_IN = Path.of("..", "schema", "pulse.schema.json");
    private static final Path BAD = Path.of("src/test/resources/config/bad");

    /**
     * Bad fixtures whose every problem only the validator can find, since it needs more than the shape of one value:
     * a name that refers to nothing, dates out of order, shares that do not sum to 1, SQL text, a source's role in an
     * experiment, an option that needs another one elsewhere, an engine's abilities. Each must pass the schema (so the
     * list stays honest); docs/config-reference.md says so.
     */
    private static final Set<String> VALIDATOR_ONLY = Set.of(
            "bad-filter",                      // SQL text: several statements, unbalanced quotes
            "control-not-in-groups",           // control must be one of the groups
            "dangling-experiment-metric",      // unknown metric
            "dangling-metric-source",          // unknown source
            "not-an-assignment-source",        // the assignment source lacks experiment and group columns
            "post-stratify",                   // post_stratify must be one of dimensions
            "reserved-table",                  // a table named like one of Pulse's steps
            "shares-not-summing",              // group shares sum to 1
            "sql-not-select",                  // SQL text: one SELECT
            "start-after-end",                 // dates in order
            "unit-missing-in-metric-source");  // a metric's source must carry the experiment's unit

    /** Fixtures that are not YAML a schema can see: the YAML reader (and the editor) reports them. */
    private static final Set<String> NOT_YAML = Set.of("syntax-error", "duplicate-key");

    private static Schema schema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(ConfigSchema.json());
    }

    @Test
    void checkedInSchemaIsTheGeneratedOne() throws IOException {
        String generated = ConfigSchema.json();
        if (Boolean.getBoolean("schema.update")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, generated, StandardCharsets.UTF_8);
        }
        String checkedIn = Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
        assertEquals(generated, checkedIn, "schema/pulse.schema.json is not the schema dev.pulse.config.ConfigSchema"
                + " generates; regenerate it with: mvn -o -pl pulse-core -am test -Dtest=ConfigSchemaTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dschema.update=true (or ./pulse schema >"
                + " schema/pulse.schema.json)");
    }

    /** The generated schema is itself a valid draft-07 schema. */
    @Test
    void schemaIsValidDraft07() throws IOException {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(com.networknt.schema.SchemaLocation.of(ConfigSchema.DRAFT));
        List<Error> errors = meta.validate(new ObjectMapper().readTree(ConfigSchema.json()));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    /**
     * Every valid config in the repository: the config test fixtures, the configs {@code pulse demo} writes, and each
     * complete config (with sources, metrics and experiments, no {@code ...} line eliding a part) in a {@code yaml} block
     * of the docs and the README.
     */
    static Stream<Arguments> validConfigs() throws IOException {
        List<Arguments> configs = new ArrayList<>();
        for (Path folder : List.of(Path.of("src/test/resources/config"), Path.of("../pulse-cli/src/main/resources/dev/pulse/cli"))) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    configs.add(Arguments.of(file.toString(), Files.readString(file)));
                }
            }
        }
        List<Path> docs = new ArrayList<>(List.of(Path.of("../README.md")));
        try (Stream<Path> files = Files.list(Path.of("../docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Pattern block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
        for (Path doc : docs) {
            Matcher matcher = block.matcher(Files.readString(doc));
            for (int i = 1; matcher.find(); i++) {
                String yaml = matcher.group(1);
                boolean excerpt = Pattern.compile("^\\s*(\\.\\.\\.|…)\\s*$", Pattern.MULTILINE).matcher(yaml).find();
                if (!excerpt && Stream.of("sources", "metrics", "experiments").allMatch(key ->
                        Pattern.compile("^" + key + ":", Pattern.MULTILINE).matcher(yaml).find())) {
                    configs.add(Arguments.of(doc + " yaml block " + i, yaml));
                }
            }
        }
        return configs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validConfigs")
    void validConfigPassesTheSchema(String name, String yaml, @TempDir Path folder) throws IOException {
        Path config = Files.writeString(folder.resolve("pulse.yaml"), yaml);
        assertEquals(List.of(), ConfigLoader.problems(config).stream().map(ConfigProblem::format).toList(),
                name + " is meant to be valid");
        List<Error> errors = schema().validate(json(yaml));
        assertTrue(errors.isEmpty(), name + " fails the schema: " + errors);
    }

    static Stream<Path> badConfigs() throws IOException {
        try (Stream<Path> files = Files.list(BAD)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigFailsTheSchemaWhenItsProblemIsStructural(Path config) throws IOException {
        String name = config.getFileName().toString().replace(".yaml", "");
        assertTrue(!ConfigLoader.problems(config).isEmpty(), config + " is meant to be bad");
        if (NOT_YAML.contains(name)) {
            return;
        }
        List<Error> errors = schema().validate(json(Files.readString(config)));
        if (VALIDATOR_ONLY.contains(name)) {
            assertTrue(errors.isEmpty(), config + " is listed as having only problems the validator finds, but it fails"
                    + " the schema: " + errors + " (remove it from VALIDATOR_ONLY)");
        } else {
            List<ConfigProblem> problems = ConfigLoader.problems(config);
            assertTrue(!errors.isEmpty(), config + " passes the schema, though its problems are structural: "
                    + problems.stream().map(ConfigProblem::format).toList()
                    + " (make the schema catch them, or list it in VALIDATOR_ONLY)");
            // the schema objects where the validator does: at one of its problems, or in or around its node
            List<List<String>> found = errors.stream().map(ConfigSchemaTest::where).toList();
            assertTrue(problems.stream().map(problem -> parts(problem.path())).anyMatch(path ->
                            found.stream().anyMatch(at -> startsWith(path, at) || startsWith(at, path))),
                    config + ": the schema's errors " + errors + " are nowhere near the validator's problems "
                            + problems.stream().map(ConfigProblem::format).toList());
        }
    }

    /** Where a schema error is: its instance location, and the property it names (an unknown or missing key). */
    private static List<String> where(Error error) {
        List<String> at = new ArrayList<>(parts(error.getInstanceLocation().toString().replaceFirst("^\\$", "")));
        if (error.getProperty() != null) {
            at.add(error.getProperty());
        }
        return at;
    }

    /** A path's steps: {@code experiments.pricing.metrics[1]} and {@code /experiments/pricing/metrics/1} alike. */
    private static List<String> parts(String path) {
        return Arrays.stream(path.split("[./\\[\\]]+")).filter(part -> !part.isEmpty()).toList();
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return !prefix.isEmpty() && path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix)
                || prefix.isEmpty() && path.size() <= 1;
    }

    /** Each fixture named in the lists exists, so that a renamed fixture does not leave a stale entry. */
    @Test
    void listedFixturesExist() {
        Stream.concat(VALIDATOR_ONLY.stream(), NOT_YAML.stream()).forEach(name ->
                assertTrue(Files.exists(BAD.resolve(name + ".yaml")), name + ".yaml is not in " + BAD));
    }

    /** Every key each section of the validator allows is a property of the schema where that section reads. */
    @Test
    void everyAllowedKeyIsInTheSchema() throws IOException {
        JsonNode root = new ObjectMapper().readTree(ConfigSchema.json());
        String metric = "/properties/metrics/additionalProperties";
        String experiment = "/properties/experiments/additionalProperties";
        Map<String, List<String>> sections = Map.ofEntries(
                Map.entry("", ConfigLoader.KEYS),
                Map.entry("/properties/warehouse", WarehouseSection.KEYS),
                Map.entry("/properties/sources/additionalProperties", SourceSection.KEYS),
                Map.entry(metric, MetricSection.KEYS),
                Map.entry(metric + "/properties/numerator", MetricSection.SIDE_KEYS),
                Map.entry(metric + "/properties/steps/items", ConfigSchema.FUNNEL_STEP.names()),
                Map.entry(metric + "/properties/winsorize", ConfigSchema.WINSORIZE.names()),
                Map.entry(metric + "/properties/window", ConfigSchema.WINDOW.names()),
                Map.entry(experiment, ExperimentSection.KEYS),
                Map.entry(experiment + "/properties/id_mapping/anyOf/1", IdMappingSection.KEYS),
                Map.entry(experiment + "/properties/trigger", TriggerSection.KEYS),
                Map.entry(experiment + "/properties/cuped", ConfigSchema.CUPED.names()),
                Map.entry(experiment + "/properties/sequential", ConfigSchema.SEQUENTIAL.names()),
                Map.entry(experiment + "/properties/prior", ConfigSchema.PRIOR.names()),
                Map.entry(experiment + "/properties/bias_check", ConfigSchema.BIAS_CHECK.names()),
                Map.entry(experiment + "/properties/planned_looks/anyOf/1", ConfigSchema.PLANNED_LOOKS.names()));
        sections.forEach((pointer, keys) -> {
            JsonNode properties = root.at(pointer + "/properties");
            assertTrue(properties.isObject(), "no properties at " + pointer);
            assertEquals(keys, names(properties), "the keys at " + (pointer.isEmpty() ? "the top" : pointer));
        });
        assertTrue(MetricSection.KEYS.containsAll(FunnelSection.KEYS));
        assertTrue(MetricSection.KEYS.containsAll(ThresholdRetention.KEYS.keySet()));
        assertTrue(ExperimentSection.KEYS.containsAll(OptionsSection.EXPERIMENT_KEYS));
        assertTrue(MetricSection.KEYS.containsAll(OptionsSection.METRIC_KEYS));
        assertEquals(Arrays.stream(MetricType.values()).map(MetricType::configName).toList(),
                strings(root.at(metric + "/properties/type/enum")));
        assertEquals(Engine.configNames(), strings(root.at("/properties/warehouse/properties/engine/enum")));
        // every metric type and every kind of connection has its case
        assertEquals(MetricType.values().length, root.at(metric + "/allOf").size());
        assertEquals(Engine.Connection.values().length, root.at("/properties/warehouse/allOf").size());
    }

    /** A metric takes the keys of its own type only; a type's required keys are required. */
    @Test
    void metricKeysFollowTheType() throws IOException {
        Schema schema = schema();
        String head = "sources: {events: {table: events, timestamp: ts, ids: {user_id: uid}}}\n"
                + "experiments: {}\nmetrics:\n  m: ";
        assertTrue(schema.validate(json(head + "{type: sum, source: events, value: revenue}")).isEmpty());
        assertTrue(schema.validate(json(head + "{type: funnel, steps: [{name: a, source: events}, {name: b, source:"
                + " events}], denominator: exposed}")).isEmpty());
        assertTrue(schema.validate(json(head + "{type: ratio, numerator: {source: events, agg: count},"
                + " denominator: {source: events, agg: sum, value: revenue}}")).isEmpty());
        assertTrue(!schema.validate(json(head + "{type: sum, source: events}")).isEmpty(), "sum needs a value");
        assertTrue(!schema.validate(json(head + "{type: count, source: events, threshold: 3}")).isEmpty(),
                "threshold belongs to threshold metrics");
        assertTrue(!schema.validate(json(head + "{type: ratio, numerator: {source: events, agg: count},"
                + " denominator: exposed}")).isEmpty(), "a ratio's denominator is a side");
        assertTrue(!schema.validate(json(head + "{type: percentile, source: events, value: v, percentile: 0.9,"
                + " winsorize: {upper: 0.99}}")).isEmpty(), "a percentile metric takes no winsorize");
        assertTrue(!schema.validate(json("warehouse: {engine: postgres, database: x.db}\n" + head
                + "{type: count, source: events}")).isEmpty(), "database is DuckDB's");
        assertTrue(!schema.validate(json("warehouse: {engine: postgres}\n" + head + "{type: count, source: events}"))
                .isEmpty(), "postgres needs a url");
        assertTrue(schema.validate(json("warehouse: {database: x.db}\n" + head + "{type: count, source: events}"))
                .isEmpty(), "duckdb is the default engine");
    }

    /** A valid metric of each type, the smallest the validator takes. */
    private static final Map<MetricType, String> SAMPLES = Map.ofEntries(
            Map.entry(MetricType.SUM, "{type: sum, source: events, value: revenue}"),
            Map.entry(MetricType.COUNT, "{type: count, source: events}"),
            Map.entry(MetricType.COUNT_DISTINCT, "{type: count_distinct, source: events, value: item}"),
            Map.entry(MetricType.UNIT_COUNT, "{type: unit_count, source: events}"),
            Map.entry(MetricType.MEAN, "{type: mean, source: events, value: revenue}"),
            Map.entry(MetricType.RATIO, "{type: ratio, numerator: {source: events, agg: sum, value: revenue},"
                    + " denominator: {source: events, agg: count}}"),
            Map.entry(MetricType.PERCENTILE, "{type: percentile, source: events, value: revenue, percentile: 0.9}"),
            Map.entry(MetricType.FIRST_VALUE, "{type: first_value, source: events, value: revenue}"),
            Map.entry(MetricType.LATEST_VALUE, "{type: latest_value, source: events, value: revenue}"),
            Map.entry(MetricType.PARTICIPATION, "{type: participation, source: events}"),
            Map.entry(MetricType.THRESHOLD, "{type: threshold, source: events, aggregate: sum, value: revenue,"
                    + " threshold: 3}"),
            Map.entry(MetricType.RETENTION, "{type: retention, source: events, start_days: 7, end_days: 14}"),
            Map.entry(MetricType.FUNNEL, "{type: funnel, steps: [{name: a, source: events}, {name: b, source: events}]}"));

    /** A value of each metric key that is right for some type. */
    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("source", "events"), Map.entry("value", "revenue"), Map.entry("percentile", "0.9"),
            Map.entry("filter", "\"revenue > 0\""), Map.entry("numerator", "{source: events, agg: count}"),
            Map.entry("denominator", "{source: events, agg: count}"), Map.entry("aggregate", "count"),
            Map.entry("comparison", "\">\""), Map.entry("end_days", "14"), Map.entry("start_days", "7"),
            Map.entry("threshold", "3"), Map.entry("steps", "[{name: a, source: events}, {name: b, source: events}]"),
            Map.entry("window_days", "7"), Map.entry("window_from", "first_step"), Map.entry("ordered", "true"),
            Map.entry("direction", "increase"), Map.entry("winsorize", "{upper: 0.99}"),
            Map.entry("window", "{end_days: 7}"), Map.entry("role", "guardrail"));

    /** What to add for a key whose value, or whose need of another key, differs for a type. */
    private static final Map<String, String> ADDED = Map.of(
            "funnel denominator", "denominator: exposed",
            "funnel window_from", "window_from: previous_step, window_days: 7");

    private static String metricConfig(String metric) {
        return "sources:\n"
                + "  events: {table: events, timestamp: ts, ids: {user_id: user_id}}\n"
                + "  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: e, group: g}\n"
                + "metrics:\n  m: " + metric + "\n"
                + "experiments:\n  x: {assignment: exposures, unit: user_id, control: control, start: 2026-03-01,"
                + " end: 2026-03-31, metrics: [m]}\n";
    }

    /**
     * The keys the schema allows each metric type are the validator's: the smallest metric of each type passes both,
     * and that metric with any other metric key added is taken by both when the schema's case for the type lists the
     * key, and refused by both (the validator at that key) when it does not. The schema's cases are data beside the
     * validator's per-type checks; this keeps them in step.
     */
    @Test
    void eachMetricTypeTakesTheSameKeysInSchemaAndValidator(@TempDir Path folder) throws IOException {
        assertEquals(Set.of(MetricType.values()), SAMPLES.keySet());
        assertEquals(new java.util.HashSet<>(MetricSection.KEYS), new java.util.HashSet<>(
                Stream.concat(Stream.of("type"), VALUES.keySet().stream()).toList()));
        Schema schema = schema();
        Path config = folder.resolve("pulse.yaml");
        List<String> wrong = new ArrayList<>();
        for (MetricType type : MetricType.values()) {
            String sample = SAMPLES.get(type);
            Files.writeString(config, metricConfig(sample));
            assertEquals(List.of(), ConfigLoader.problems(config).stream().map(ConfigProblem::format).toList(), sample);
            assertEquals(List.of(), schema.validate(json(metricConfig(sample))), sample);
            ConfigSchema.Case allowed = ConfigSchema.METRIC.cases().stream()
                    .filter(c -> c.values().equals(List.of(type.configName()))).findFirst().orElseThrow();
            for (String key : MetricSection.KEYS) {
                if (key.equals("type") || sample.contains(" " + key + ":")) {
                    continue;
                }
                String metric = sample.substring(0, sample.length() - 1) + ", "
                        + ADDED.getOrDefault(type.configName() + " " + key, key + ": " + VALUES.get(key)) + "}";
                Files.writeString(config, metricConfig(metric));
                boolean validator = ConfigLoader.problems(config).stream()
                        .noneMatch(problem -> problem.path().startsWith("metrics.m." + key));
                boolean inSchema = schema.validate(json(metricConfig(metric))).isEmpty();
                if (validator != inSchema || inSchema != allowed.keys().contains(key)) {
                    wrong.add(type.configName() + " + " + key + ": the validator " + (validator ? "takes" : "refuses")
                            + " it, the schema " + (inSchema ? "takes" : "refuses") + " it");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /**
     * A YAML text as the JSON an editor's YAML extension validates: YAML 1.2 scalars (a date and yes/no are text),
     * merge keys ({@code <<}) applied.
     */
    static JsonNode json(String yaml) {
        LoaderOptions options = new LoaderOptions();
        Node root = new Yaml(options).compose(new StringReader(yaml));
        return root == null ? JsonNodeFactory.instance.nullNode() : json(root);
    }

    private static JsonNode json(Node node) {
        JsonNodeFactory factory = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode object = factory.objectNode();
            List<Node> merges = new ArrayList<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (Tag.MERGE.equals(tuple.getKeyNode().getTag())) {
                    merges.add(tuple.getValueNode());
                } else {
                    object.set(((ScalarNode) tuple.getKeyNode()).getValue(), json(tuple.getValueNode()));
                }
            }
            for (Node merge : merges) {
                List<Node> sources = merge instanceof SequenceNode list ? list.getValue() : List.of(merge);
                for (Node source : sources) {
                    Iterator<Map.Entry<String, JsonNode>> fields = json(source).fields();
                    fields.forEachRemaining(field -> {
                        if (!object.has(field.getKey())) {
                            object.set(field.getKey(), field.getValue());
                        }
                    });
                }
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            return factory.arrayNode().addAll(sequence.getValue().stream().map(ConfigSchemaTest::json).toList());
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        if (Tag.NULL.equals(scalar.getTag())) {
            return factory.nullNode();
        }
        if (Tag.BOOL.equals(scalar.getTag()) && (value.equals("true") || value.equals("false"))) {
            return factory.booleanNode(Boolean.parseBoolean(value));
        }
        if (Tag.INT.equals(scalar.getTag()) || Tag.FLOAT.equals(scalar.getTag())) {
            try {
                return Tag.INT.equals(scalar.getTag())
                        ? factory.numberNode(new java.math.BigInteger(value.replace("_", "")))
                        : factory.numberNode(new BigDecimal(value.replace("_", "")));
            } catch (NumberFormatException e) {
                return factory.textNode(value); // .inf, 0x1F: not numbers to JSON
            }
        }
        return factory.textNode(value);
    }
}
