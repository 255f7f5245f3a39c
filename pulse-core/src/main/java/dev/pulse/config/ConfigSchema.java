package dev.pulse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.model.Correction;
import dev.pulse.model.Direction;
import dev.pulse.model.Engine;
import dev.pulse.model.InferenceMethod;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricRole;
import dev.pulse.model.MetricType;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.RelativeInterval;
import dev.pulse.model.SequentialMethod;
import dev.pulse.model.UnitThreshold;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The shape of {@code pulse.yaml} as data: each mapping's keys in the order hints list them, each key's kind of value
 * (text, number, date, one of some words, a list, a nested mapping) with its one-line description from
 * docs/config-reference.md, and the required keys. The sections of this package take their allowed keys (and the
 * simple lists of words) from here, and {@link #json()} renders it as a JSON Schema (draft-07, the draft VS Code's YAML
 * extension supports in full), so that a key the validator accepts cannot be missing from the schema.
 *
 * <p>The schema checks structure only. What needs more than one part of the config stays the validator's alone: names
 * that refer to other parts (a metric's source, an experiment's metrics, covariates, interactions), dates in order,
 * shares that sum to 1, SQL text, and which keys an engine refuses for a metric type.
 */
public final class ConfigSchema {
    /** The draft of the generated schema: VS Code's YAML extension implements draft-07 (not yet 2019-09 or 2020-12). */
    public static final String DRAFT = "http://json-schema.org/draft-07/schema#";

    /** What a value may be. */
    sealed interface Shape permits Text, Num, Flag, Day, Choice, ListOf, MapOf, Mapping, Either, Cases {}

    /**
     * Non-blank text. The validator reads any YAML scalar as text (a group named {@code 1}, {@code filter: true}), so
     * numbers and true/false are allowed too; {@code pattern} (anchored) applies to text.
     */
    record Text(Optional<String> pattern) implements Shape {}

    /** An inclusive or exclusive bound of a number. */
    record Bound(double value, boolean exclusive) {}

    /** A number written without quotes; {@code whole}: a whole number. */
    record Num(boolean whole, Optional<Bound> min, Optional<Bound> max) implements Shape {}

    /** {@code true} or {@code false}. */
    record Flag() implements Shape {}

    /** A date written as 2026-03-01. */
    record Day() implements Shape {}

    /** One of these words. */
    record Choice(List<String> values) implements Shape {
        Choice {
            values = List.copyOf(values);
        }
    }

    record ListOf(Shape item, int minItems, OptionalInt maxItems) implements Shape {}

    /** A map of names the user chooses (matching {@code keyPattern}) to values. */
    record MapOf(Shape values, Optional<String> keyPattern, OptionalInt maxEntries, int minEntries) implements Shape {}

    /** One key of a mapping. */
    record Key(String name, Shape shape, String description) {}

    /**
     * A mapping with a fixed set of keys. {@code exactlyOne}: keys of which exactly one is given; {@code together}:
     * keys that need another; {@code minKeys}: the fewest keys it may have.
     */
    record Mapping(String description, List<Key> keys, List<String> required, List<String> exactlyOne,
                   Map<String, List<String>> together, int minKeys) implements Shape {
        Mapping {
            keys = List.copyOf(keys);
            required = List.copyOf(required);
            exactlyOne = List.copyOf(exactlyOne);
            together = Map.copyOf(together);
            List<String> names = keys.stream().map(Key::name).toList();
            Stream.of(required, exactlyOne, List.copyOf(together.keySet())).flatMap(List::stream)
                    .filter(name -> !names.contains(name)).findFirst().ifPresent(name -> {
                        throw new IllegalArgumentException("'" + name + "' is not a key of the mapping");
                    });
        }

        Mapping(String description, List<Key> keys, List<String> required) {
            this(description, keys, required, List.of(), Map.of(), 0);
        }

        /** The allowed keys, in order: what {@link Fields#read} takes. */
        List<String> names() {
            return keys.stream().map(Key::name).toList();
        }

        Key key(String name) {
            return keys.stream().filter(key -> key.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key '" + name + "'"));
        }
    }

    /** One of several shapes, such as {@code all} or a list. */
    record Either(List<Shape> options) implements Shape {}

    /**
     * The keys a mapping takes when its {@code key} has one of {@code values}: {@code keys} besides {@code key},
     * {@code required} among them, and the shapes of keys whose value differs by case.
     */
    record Case(List<String> values, List<String> keys, List<String> required, Map<String, Shape> shapes) {}

    /**
     * A mapping whose allowed keys depend on one key's value (a metric's type, a warehouse's engine); {@code base}
     * has every key any case allows. {@code defaultValue}: the value when the key is absent.
     */
    record Cases(Mapping base, String key, Optional<String> defaultValue, List<Case> cases) implements Shape {
        Cases {
            for (Case c : cases) {
                List<String> names = base.names();
                Stream.concat(c.keys().stream(), c.shapes().keySet().stream()).filter(name -> !names.contains(name))
                        .findFirst().ifPresent(name -> {
                            throw new IllegalArgumentException("case " + c.values() + " names '" + name
                                    + "', which is not a key of the mapping");
                        });
            }
        }
    }

    // ---- building blocks

    /** Names of sources, metrics, experiments and ID types (model's Name). */
    static final String NAME_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.\\-]*$";
    private static final Text TEXT = new Text(Optional.empty());
    private static final Text NAME = new Text(Optional.of(NAME_PATTERN));
    private static final Day DAY = new Day();
    private static final Flag FLAG = new Flag();

    private static Num number() {
        return new Num(false, Optional.empty(), Optional.empty());
    }

    /** A number strictly between {@code low} and {@code high}. */
    private static Num between(double low, double high) {
        return new Num(false, Optional.of(new Bound(low, true)), Optional.of(new Bound(high, true)));
    }

    private static Num positive() {
        return new Num(false, Optional.of(new Bound(0, true)), Optional.empty());
    }

    private static Num whole(long min, long max) {
        return new Num(true, Optional.of(new Bound(min, false)), Optional.of(new Bound(max, false)));
    }

    private static <T> Choice choice(T[] values, Function<T, String> configName) {
        return new Choice(Arrays.stream(values).map(configName).toList());
    }

    private static Key key(String name, Shape shape, String description) {
        return new Key(name, shape, description);
    }

    private static List<Key> concat(List<Key> first, List<Key> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    // ---- warehouse

    /** The shape of each connection key of {@link Engine.Connection}; a key added there without one fails here. */
    private static final Map<String, Key> CONNECTION_KEYS = Stream.of(
            key("database", TEXT, "DuckDB only: the database file, relative to the config's folder (default: in memory)"),
            key("url", new Text(Optional.of("^jdbc:")), "Server engines only: the JDBC URL, starting with the engine's"
                    + " prefix, such as jdbc:postgresql://127.0.0.1:5432/analytics"),
            key("user", TEXT, "Server engines only: the role or user to log in as"),
            key("password_env", new Text(Optional.of("^[A-Za-z_][A-Za-z0-9_]*$")), "Server engines only: the name of"
                    + " the environment variable that holds the password (never the password itself)"),
            key("master", TEXT, "engine: spark only: the Spark master, such as local[2] or yarn"),
            key("conf", new MapOf(TEXT, Optional.empty(), OptionalInt.empty(), 0), "engine: spark only: settings"
                    + " for the session, such as {spark.sql.shuffle.partitions: 64}"),
            key("project", new Text(Optional.of("^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")), "engine: bigquery"
                    + " only: the Google Cloud project ID whose query jobs Pulse runs and which is billed"),
            key("location", TEXT, "engine: bigquery only: where the jobs run, such as US, EU or europe-west1"),
            key("dataset", new Text(Optional.of("^[A-Za-z0-9_]{1,1024}$")), "engine: bigquery only: the default"
                    + " dataset, in which unqualified table names resolve"),
            key("labels", new MapOf(new Text(Optional.of("^[\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}$")),
                    Optional.of("^\\p{Ll}[\\p{Ll}\\p{Lo}\\p{N}_-]{0,62}$"),
                    OptionalInt.of(dev.pulse.model.BigQuerySettings.MAX_LABELS), 0),
                    "engine: bigquery only: job labels on every query job, for cost attribution"),
            key("maximum_bytes_billed", whole(1, 9_000_000_000_000_000L), "engine: bigquery only: a job that would"
                    + " bill more bytes fails before it runs"))
            .collect(LinkedHashMap::new, (map, k) -> map.put(k.name(), k), Map::putAll);

    /** The keys a connection needs. One switch over the kinds: a new kind is flagged here by the compiler. */
    private static List<String> required(Engine.Connection connection) {
        return switch (connection) {
            case EMBEDDED, SESSION -> List.of();
            case SERVER -> List.of("url");
            case CLIENT_LIBRARY -> List.of("project");
        };
    }

    private static final List<Key> WAREHOUSE_TABLE_KEYS = List.of(
            key("results_table", TEXT, "The table the results are written to in long form, such as"
                    + " analytics.pulse_results (default: none)"),
            key("staging_schema", new Text(Optional.of("^[^.]*\\S[^.]*$")), "Where pulse analyze --materialize writes"
                    + " pulse_staging_<experiment> (on Spark: a database)"));

    static final Cases WAREHOUSE = warehouse();

    private static Cases warehouse() {
        List<Key> keys = new ArrayList<>();
        keys.add(key("engine", new Choice(Engine.configNames()), "The engine the SQL runs on (default: duckdb)"));
        Arrays.stream(Engine.Connection.values()).flatMap(connection -> connection.keys().stream())
                .map(name -> {
                    Key found = CONNECTION_KEYS.get(name);
                    if (found == null) {
                        throw new IllegalStateException("warehouse key '" + name + "' has no shape in ConfigSchema");
                    }
                    return found;
                })
                .forEach(keys::add);
        keys.addAll(WAREHOUSE_TABLE_KEYS);
        Mapping base = new Mapping("The engine the SQL runs on and where its data lives (default: in-memory DuckDB)",
                keys, List.of());
        List<Case> cases = Arrays.stream(Engine.Connection.values()).map(connection -> new Case(
                Arrays.stream(Engine.values()).filter(engine -> engine.connection() == connection)
                        .map(Engine::configName).toList(),
                Stream.concat(connection.keys().stream(), WAREHOUSE_TABLE_KEYS.stream().map(Key::name)).toList(),
                required(connection), Map.of())).toList();
        return new Cases(base, "engine", Optional.of(Engine.DUCKDB.configName()), cases);
    }

    // ---- sources

    /** A {@code path} source's {@code format}. */
    static final Choice FORMATS = new Choice(List.of("csv", "parquet"));

    static final Mapping SOURCE = new Mapping("Where rows come from: one of path, table or sql, a timestamp and ids",
            List.of(
                    key("path", TEXT, "A CSV or Parquet file, or a glob of them (data/*.parquet), relative to the"
                            + " config's folder"),
                    key("table", TEXT, "A table or view, optionally qualified: events, analytics.events"),
                    key("sql", TEXT, "One SELECT query"),
                    key("format", FORMATS, "Only with path, when the file name does not tell"),
                    key("timestamp", TEXT, "The column with each row's time, UTC"),
                    key("ids", new MapOf(TEXT, Optional.of(NAME_PATTERN), OptionalInt.empty(), 1), "The ID types"
                            + " the source carries and the column of each, such as {user_id: uid}"),
                    key("experiment", TEXT, "For an assignment source: the column with the experiment's name"),
                    key("group", TEXT, "For an assignment source: the column with the group's name"),
                    key("date_partition", TEXT, "A column holding each row's date, by which the source is"
                            + " partitioned")),
            List.of("timestamp", "ids"), List.of("path", "table", "sql"),
            Map.of("format", List.of("path"), "experiment", List.of("group"), "group", List.of("experiment")), 0);

    // ---- metrics

    /** A ratio side's {@code agg}. */
    static final Choice SIDE_AGGREGATES = new Choice(List.of("sum", "count", "count_distinct"));
    /** A threshold metric's {@code aggregate}. */
    static final Choice THRESHOLD_AGGREGATES = new Choice(List.of("sum", "count", "count_distinct"));
    /** A funnel's {@code window_from}. */
    static final Choice WINDOW_FROM = new Choice(List.of("first_step", "previous_step"));
    /** A funnel's {@code denominator}. */
    static final Choice FUNNEL_DENOMINATORS = new Choice(List.of("first_step", "exposed"));

    static final Mapping SIDE = new Mapping("One side of a ratio: {source, agg, value, filter}", List.of(
            key("source", NAME, "A source defined under sources"),
            key("agg", SIDE_AGGREGATES, "How the side's rows become a number per unit"),
            key("value", TEXT, "For sum and count_distinct: the column or SQL expression to aggregate"),
            key("filter", TEXT, "One boolean SQL expression choosing the rows")),
            List.of("source", "agg"));

    static final Mapping FUNNEL_STEP = new Mapping("A funnel step: {name, source, filter}", List.of(
            key("name", new Text(Optional.of("^[a-z][a-z0-9_]*$")), "The step's name: lower-case letters, digits and"
                    + " _, starting with a letter"),
            key("source", NAME, "A source defined under sources"),
            key("filter", TEXT, "One boolean SQL expression choosing the step's rows")),
            List.of("name", "source"));

    static final Mapping WINSORIZE = new Mapping("Caps at quantiles: {lower, upper}", List.of(
            key("lower", between(0, 1), "The lower cap's quantile, such as 0.01"),
            key("upper", between(0, 1), "The upper cap's quantile, such as 0.99")),
            List.of(), List.of(), Map.of(), 1);

    static final Mapping WINDOW = new Mapping("Rows from first exposure + start_days to + end_days", List.of(
            key("start_days", whole(0, MetricWindow.MAX_DAYS - 1), "Days after the first exposure the window opens"
                    + " (default 0)"),
            key("end_days", whole(1, MetricWindow.MAX_DAYS), "Days after the first exposure the window closes"
                    + " (exclusive)")),
            List.of("end_days"));

    private static final Choice ROLES = choice(MetricRole.values(), MetricRole::configName);

    /** The options every metric type may take (some types refuse some). */
    static final List<Key> METRIC_OPTIONS = List.of(
            key("direction", choice(Direction.values(), Direction::configName), "The test's direction (default"
                    + " two_sided)"),
            key("winsorize", WINSORIZE, "Cap each unit's value at these quantiles of the pooled values"),
            key("window", WINDOW, "Count only rows within days of each unit's first exposure"),
            key("role", ROLES, "The metric's role in the experiments that analyse it, unless an experiment's roles"
                    + " says otherwise"));

    /** The keys only a funnel takes. */
    static final List<Key> FUNNEL_KEYS = List.of(
            key("steps", new ListOf(FUNNEL_STEP, 2, OptionalInt.of(Metric.Funnel.MAX_STEPS)), "The funnel's steps,"
                    + " in order"),
            key("window_days", whole(1, MetricWindow.MAX_DAYS), "A step counts only within this many days (default:"
                    + " no window)"),
            key("window_from", WINDOW_FROM, "Where the window starts (default first_step); needs window_days"),
            key("ordered", FLAG, "A step counts only at or after the previous step's time (default true)"));

    private static final List<String> TYPES = Arrays.stream(MetricType.values()).map(MetricType::configName).toList();

    static final Cases METRIC = metric();

    private static Cases metric() {
        List<Key> keys = new ArrayList<>(List.of(
                key("type", new Choice(TYPES), "How the source's rows become a number per unit"),
                key("source", NAME, "A source defined under sources"),
                key("value", TEXT, "The column or SQL expression to aggregate"),
                key("percentile", between(0, 1), "percentile only: the quantile's probability, such as 0.9"),
                key("filter", TEXT, "One boolean SQL expression choosing the rows (default: every row)"),
                key("numerator", SIDE, "ratio only: the numerator side"),
                key("denominator", new Either(List.of(SIDE, FUNNEL_DENOMINATORS)), "ratio: the denominator side;"
                        + " funnel: first_step or exposed"),
                key("aggregate", THRESHOLD_AGGREGATES, "threshold only: the unit's aggregate compared with"
                        + " threshold"),
                key("comparison", choice(UnitThreshold.Comparison.values(), UnitThreshold.Comparison::symbol),
                        "threshold only: how the aggregate is compared with threshold (default >=)"),
                key("end_days", whole(1, MetricWindow.MAX_DAYS), "retention only: active before first exposure +"
                        + " end_days"),
                key("start_days", whole(0, MetricWindow.MAX_DAYS - 1), "retention only: active from first exposure"
                        + " + start_days"),
                key("threshold", number(), "threshold only: the number the unit's aggregate is compared with")));
        keys.addAll(FUNNEL_KEYS);
        keys.addAll(METRIC_OPTIONS);
        Mapping base = new Mapping("How a source's rows become a number per unit", keys, List.of("type"));
        List<String> allOptions = List.of("direction", "winsorize", "window", "role");
        List<String> noCaps = List.of("direction", "window", "role");
        List<String> directionOnly = List.of("direction", "role");
        List<Case> cases = new ArrayList<>();
        for (MetricType type : MetricType.values()) {
            cases.add(switch (type) {
                case SUM, COUNT_DISTINCT, MEAN -> metricCase(type, List.of("source", "value", "filter"),
                        List.of("source", "value"), allOptions, Map.of());
                case COUNT, UNIT_COUNT -> metricCase(type, List.of("source", "filter"), List.of("source"), allOptions,
                        Map.of());
                case FIRST_VALUE, LATEST_VALUE -> metricCase(type, List.of("source", "value", "filter"),
                        List.of("source", "value"), noCaps, Map.of());
                case PERCENTILE -> metricCase(type, List.of("source", "value", "filter", "percentile"),
                        List.of("source", "value", "percentile"), directionOnly, Map.of());
                case PARTICIPATION -> metricCase(type, List.of("source", "filter"), List.of("source"), directionOnly,
                        Map.of());
                case RATIO -> metricCase(type, List.of("numerator", "denominator"), List.of("numerator", "denominator"),
                        allOptions, Map.of("denominator", SIDE));
                case THRESHOLD -> metricCase(type, List.of("source", "value", "filter", "aggregate", "threshold",
                        "comparison"), List.of("source", "aggregate", "threshold"), noCaps, Map.of());
                case RETENTION -> metricCase(type, List.of("source", "filter", "start_days", "end_days"),
                        List.of("source", "start_days", "end_days"), directionOnly, Map.of());
                case FUNNEL -> metricCase(type, Stream.concat(FUNNEL_KEYS.stream().map(Key::name),
                        Stream.of("denominator")).toList(), List.of("steps"), directionOnly,
                        Map.of("denominator", FUNNEL_DENOMINATORS));
            });
        }
        return new Cases(base, "type", Optional.empty(), cases);
    }

    private static Case metricCase(MetricType type, List<String> keys, List<String> required, List<String> options,
                                   Map<String, Shape> shapes) {
        return new Case(List.of(type.configName()), Stream.concat(keys.stream(), options.stream()).toList(), required,
                shapes);
    }

    // ---- experiments

    /** The corrections {@code heterogeneity_correction} takes ({@code none} is refused). */
    static final List<Correction> HETEROGENEITY_CORRECTIONS = List.of(Correction.BONFERRONI, Correction.HOLM,
            Correction.BENJAMINI_HOCHBERG);

    static final Mapping ID_MAPPING = new Mapping("{source, id_type}", List.of(
            key("source", NAME, "The source that links the unit's IDs to the metric sources' IDs"),
            key("id_type", NAME, "The ID type the metric sources are keyed by")),
            List.of("source"));

    static final Mapping TRIGGER = new Mapping("A qualifying event: {source, filter}", List.of(
            key("source", NAME, "The source whose rows qualify a unit, such as page_views"),
            key("filter", TEXT, "One boolean SQL expression choosing the qualifying rows")),
            List.of("source"));

    static final Mapping CUPED = new Mapping("CUPED: {lookback_days, covariates, attributes}", List.of(
            key("lookback_days", whole(1, OptionsSection.MAX_LOOKBACK_DAYS), "Days before each unit's first exposure"
                    + " whose values adjust the comparison, such as 14"),
            key("covariates", new Either(List.of(new Choice(List.of("all")), new ListOf(NAME, 0, OptionalInt.empty()))),
                    "all, or a list of the experiment's metrics whose pre-period values are covariates of every"
                            + " metric"),
            key("attributes", new ListOf(TEXT, 0, OptionalInt.empty()), "Dimensions of the experiment whose values"
                    + " are covariates too")),
            List.of("lookback_days"));

    static final Mapping SEQUENTIAL = new Mapping("An always-valid test: {method, min_units, tau, tuning}", List.of(
            key("method", choice(SequentialMethod.values(), SequentialMethod::configName), "msprt (default) or"
                    + " growthbook"),
            key("min_units", whole(1, Integer.MAX_VALUE), "Units per group before a result is shown (default 100)"),
            key("tau", positive(), "msprt only: the mixing standard deviation as a fraction of the control value"),
            key("tuning", positive(), "growthbook only: the total sample size where the interval is tightest")),
            List.of());

    static final Mapping PRIOR = new Mapping("The prior on the relative lift: {mean, sd}", List.of(
            key("mean", number(), "The prior mean of the relative lift (default 0)"),
            key("sd", positive(), "The prior standard deviation of the relative lift, such as 0.3")),
            List.of("sd"));

    static final Mapping BIAS_CHECK = new Mapping("The pre-experiment bias check: {lookback_days, threshold}", List.of(
            key("lookback_days", whole(1, OptionsSection.MAX_LOOKBACK_DAYS), "Days before each unit's first exposure"
                    + " to compare (with cuped: cuped's)"),
            key("threshold", between(0, 1), "The family-wise level (default 0.001)")),
            List.of());

    private static final ListOf LOOK_DATES = new ListOf(DAY, 1, OptionalInt.of(PlannedLooks.MAX_LOOKS));

    static final Mapping PLANNED_LOOKS = new Mapping("{dates, spending}", List.of(
            key("dates", LOOK_DATES, "The look dates, strictly increasing"),
            key("spending", choice(PlannedLooks.Spending.values(), PlannedLooks.Spending::configName), "The"
                    + " alpha-spending function (default obrien_fleming)")),
            List.of("dates"));

    /** The analysis options of an experiment. */
    static final List<Key> EXPERIMENT_OPTIONS = List.of(
            key("cuped", CUPED, "Adjust by each metric's pre-experiment values (CUPED)"),
            key("correction", choice(Correction.values(), Correction::configName), "Multiple-comparison correction"
                    + " over the experiment's comparisons (default none)"),
            key("relative_ci", choice(RelativeInterval.values(), RelativeInterval::configName), "How the relative"
                    + " lift's interval is computed (default delta)"),
            key("sequential", SEQUENTIAL, "An always-valid test you may look at any time"),
            key("method", choice(InferenceMethod.values(), InferenceMethod::configName), "frequentist (default) or"
                    + " bayesian"),
            key("prior", PRIOR, "method: bayesian only: the prior"),
            key("bias_check", BIAS_CHECK, "Check that the groups differed before the experiment no more than chance"),
            key("planned_looks", new Either(List.of(LOOK_DATES, PLANNED_LOOKS)), "A group-sequential test at these"
                    + " look dates; needs end; not with sequential"));

    static final Mapping EXPERIMENT = new Mapping("Who was assigned to which group, and what to analyse", concat(List.of(
            key("assignment", NAME, "The assignment source: which unit saw which group"),
            key("unit", NAME, "The ID type that was randomized, such as user_id"),
            key("control", TEXT, "The control group's name"),
            key("groups", new Either(List.of(
                    new MapOf(new Num(false, Optional.of(new Bound(0, true)), Optional.of(new Bound(1, false))),
                            Optional.empty(), OptionalInt.empty(), 1),
                    new ListOf(TEXT, 1, OptionalInt.empty()))), "A map of group to expected share, or a list of"
                    + " groups for an equal split (default: found in the data)"),
            key("start", DAY, "The first day, UTC, inclusive, such as 2026-03-01"),
            key("end", DAY, "The last day, UTC, inclusive (default: up to the latest data)"),
            key("alpha", between(0, 1), "The significance level (default 0.05)"),
            key("metrics", new ListOf(NAME, 1, OptionalInt.empty()), "The metrics to analyse (default: every metric)"),
            key("dimensions", new ListOf(TEXT, 0, OptionalInt.empty()), "Columns of the assignment source to break"
                    + " results down by"),
            key("dimension_values", whole(1, ExperimentSection.MAX_DIMENSION_VALUES), "How many values of each"
                    + " dimension are reported on their own (default 10)"),
            key("heterogeneity_correction", choice(HETEROGENEITY_CORRECTIONS.toArray(Correction[]::new),
                    Correction::configName), "The correction of the heterogeneous-effect tests (default holm)"),
            key("post_stratify", TEXT, "One of dimensions: post-stratify every moment metric on its values"),
            key("timeseries", FLAG, "Cumulative daily results from start to end (default false); needs end"),
            key("planned_units", whole(2, ExperimentSection.MAX_PLANNED_UNITS), "The units the experiment plans to"
                    + " count over every group: the report's progress bar (default: no plan)"),
            key("id_mapping", new Either(List.of(NAME, ID_MAPPING)), "A source linking the unit's IDs to the IDs"
                    + " the metric sources carry"),
            key("trigger", TRIGGER, "Start each unit's analysis at its first qualifying event"),
            key("interactions", new ListOf(NAME, 0, OptionalInt.empty()), "Other experiments of the config on the"
                    + " same unit to test for interactions"),
            key("roles", new MapOf(ROLES, Optional.of(NAME_PATTERN), OptionalInt.empty(), 0), "What each metric is"
                    + " for: a map of metric name to primary, secondary or guardrail (default: each metric's own role)")),
            EXPERIMENT_OPTIONS), List.of("assignment", "unit", "control", "start"));

    // ---- the file

    static final Mapping TOP = new Mapping("A Pulse config (docs/config-reference.md)", List.of(
            key("warehouse", WAREHOUSE, "The engine the SQL runs on (default: in-memory DuckDB)"),
            key("sources", new MapOf(SOURCE, Optional.of(NAME_PATTERN), OptionalInt.empty(), 0), "Tables, queries"
                    + " and files: where rows come from"),
            key("metrics", new MapOf(METRIC, Optional.of(NAME_PATTERN), OptionalInt.empty(), 0), "How a source's"
                    + " rows become numbers per unit"),
            key("experiments", new MapOf(EXPERIMENT, Optional.of(NAME_PATTERN), OptionalInt.empty(), 0), "Who was"
                    + " assigned to which group, and what to analyse")),
            List.of("sources", "metrics", "experiments"));

    private ConfigSchema() {}

    /** The JSON Schema of {@code pulse.yaml}: what {@code schema/pulse.schema.json} holds and {@code pulse schema} prints. */
    public static String json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$schema", DRAFT);
        root.put("title", "pulse.yaml");
        root.setAll(render(TOP));
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode render(Shape shape) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (shape instanceof Text text) {
            node.putArray("type").add("string").add("number").add("boolean");
            node.put("minLength", 1);
            node.put("pattern", text.pattern().orElse("\\S"));
        } else if (shape instanceof Num num) {
            node.put("type", num.whole() ? "integer" : "number");
            num.min().ifPresent(b -> put(node, b.exclusive() ? "exclusiveMinimum" : "minimum", b.value()));
            num.max().ifPresent(b -> put(node, b.exclusive() ? "exclusiveMaximum" : "maximum", b.value()));
        } else if (shape instanceof Flag) {
            node.put("type", "boolean");
        } else if (shape instanceof Day) {
            node.put("type", "string");
            node.put("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
        } else if (shape instanceof Choice choice) {
            node.put("type", "string");
            choice.values().forEach(node.putArray("enum")::add);
        } else if (shape instanceof ListOf list) {
            node.put("type", "array");
            node.set("items", render(list.item()));
            if (list.minItems() > 0) {
                node.put("minItems", list.minItems());
            }
            list.maxItems().ifPresent(max -> node.put("maxItems", max));
        } else if (shape instanceof MapOf map) {
            node.put("type", "object");
            map.keyPattern().ifPresent(p -> node.putObject("propertyNames").put("pattern", p));
            node.set("additionalProperties", render(map.values()));
            if (map.minEntries() > 0) {
                node.put("minProperties", map.minEntries());
            }
            map.maxEntries().ifPresent(max -> node.put("maxProperties", max));
        } else if (shape instanceof Mapping mapping) {
            mapping(node, mapping);
        } else if (shape instanceof Either either) {
            ArrayNode anyOf = node.putArray("anyOf");
            either.options().forEach(option -> anyOf.add(render(option)));
        } else if (shape instanceof Cases cases) {
            cases(node, cases);
        } else {
            throw new IllegalStateException("no rendering of " + shape);
        }
        return node;
    }

    private static void mapping(ObjectNode node, Mapping mapping) {
        node.put("type", "object");
        node.put("description", mapping.description());
        ObjectNode properties = node.putObject("properties");
        for (Key key : mapping.keys()) {
            ObjectNode described = JsonNodeFactory.instance.objectNode().put("description", key.description());
            described.setAll((ObjectNode) render(key.shape()).without("description"));
            properties.set(key.name(), described);
        }
        if (!mapping.required().isEmpty()) {
            mapping.required().forEach(node.putArray("required")::add);
        }
        node.put("additionalProperties", false);
        if (mapping.minKeys() > 0) {
            node.put("minProperties", mapping.minKeys());
        }
        if (!mapping.exactlyOne().isEmpty()) {
            ArrayNode oneOf = node.putArray("oneOf");
            mapping.exactlyOne().forEach(k -> oneOf.addObject().putArray("required").add(k));
        }
        if (!mapping.together().isEmpty()) {
            ObjectNode dependencies = node.putObject("dependencies");
            mapping.names().stream().filter(mapping.together()::containsKey)
                    .forEach(k -> mapping.together().get(k).forEach(dependencies.putArray(k)::add));
        }
    }

    /** The base mapping, then for each case: if the key has one of its values, then only its keys. */
    private static void cases(ObjectNode node, Cases cases) {
        mapping(node, cases.base());
        ArrayNode allOf = node.putArray("allOf");
        for (Case c : cases.cases()) {
            ObjectNode rule = allOf.addObject();
            ObjectNode when = rule.putObject("if");
            ArrayNode values = when.putObject("properties").putObject(cases.key()).putArray("enum");
            c.values().forEach(values::add);
            if (cases.defaultValue().filter(c.values()::contains).isEmpty()) {
                when.putArray("required").add(cases.key());
            }
            ObjectNode then = rule.putObject("then");
            if (!c.shapes().isEmpty()) {
                ObjectNode properties = then.putObject("properties");
                c.keys().stream().filter(c.shapes()::containsKey)
                        .forEach(k -> properties.set(k, render(c.shapes().get(k))));
            }
            if (!c.required().isEmpty()) {
                c.required().forEach(then.putArray("required")::add);
            }
            ArrayNode allowed = then.putObject("propertyNames").putArray("enum");
            allowed.add(cases.key());
            c.keys().forEach(allowed::add);
        }
    }

    /** Whole bounds as integers (3650, not 3650.0), so the file reads as written. */
    private static void put(ObjectNode node, String field, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e18) {
            node.put(field, (long) value);
        } else {
            node.put(field, value);
        }
    }
}
