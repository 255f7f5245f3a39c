package dev.pulse.config;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Engine;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricType;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.sqltext.Lexicon;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads {@code metrics:}: how rows of a source become numbers per unit (docs/metric-types.md). */
final class MetricSection {
    static final List<String> KEYS = ConfigSchema.METRIC.base().names();
    static final List<String> SIDE_KEYS = ConfigSchema.SIDE.names();
    private static final List<String> TYPES = Arrays.stream(MetricType.values()).map(MetricType::configName).toList();
    private static final List<String> SIDE_AGGREGATES = ConfigSchema.SIDE_AGGREGATES.values();
    private static final String NO_VALUE_HINT = "use type count_distinct to count distinct values, or sum to add them up";

    /** The metrics that parsed, and every name declared (also those that failed). */
    record Result(Map<MetricName, Metric> parsed, Set<String> declared, boolean complete) {
        /** No metrics section to check references against: references are not checked. */
        static Result absent() {
            return new Result(Map.of(), Set.of(), false);
        }
    }

    private final Problems problems;
    private final SourceSection.Result sources;
    private final List<Lexicon> lexicons;
    private final Optional<Engine> engine;

    /** Metrics run on {@code engine} (empty when the warehouse failed to parse: engine checks are skipped). */
    MetricSection(Problems problems, SourceSection.Result sources, List<Lexicon> lexicons, Optional<Engine> engine) {
        this.lexicons = List.copyOf(lexicons);
        this.problems = problems;
        this.sources = sources;
        this.engine = engine;
    }

    Result read(Node node, String path) {
        Map<MetricName, Metric> parsed = new LinkedHashMap<>();
        Set<String> declared = new LinkedHashSet<>();
        Optional<Map<String, Nodes.Entry>> mapping = Nodes.mapping(node, path, problems, "a map of metric name to metric");
        mapping.ifPresent(entries -> {
            for (Nodes.Entry entry : entries.values()) {
                String name = entry.key().getValue();
                declared.add(name);
                String metricPath = Nodes.child(path, name);
                Optional<MetricName> metricName = Names.metric(entry.key(), metricPath, problems);
                Optional<Metric> metric = readMetric(metricName, entry.value(), metricPath);
                if (metric.isPresent()) {
                    parsed.put(metricName.orElseThrow(), metric.get());
                }
            }
        });
        return new Result(parsed, declared, mapping.isPresent());
    }

    private Optional<Metric> readMetric(Optional<MetricName> name, Node node, String path) {
        Optional<Fields> read = Fields.read(node, path, problems, KEYS, "a map with a type and a source");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<MetricType> type = fields.requiredText("type", String.join(", ", TYPES)).flatMap(t -> type(fields, t));
        if (type.isEmpty()) {
            // still check what does not depend on the type
            fields.value("source").ifPresent(s -> source(fields, "source"));
            new OptionsSection(problems).metric(fields);
            return Optional.empty();
        }
        ThresholdRetention.refuseForeignKeys(fields, type.get(), problems);
        if (type.get() != MetricType.FUNNEL) {
            new FunnelSection(problems, this).rejectKeys(fields, type.get());
        }
        Optional<Metric> metric = switch (type.get()) {
            case RATIO -> ratio(name, fields);
            case FUNNEL -> new FunnelSection(problems, this).read(name, fields);
            case THRESHOLD, RETENTION -> new ThresholdRetention(this, problems).read(name, type.get(), fields);
            case SUM, COUNT, COUNT_DISTINCT, UNIT_COUNT, MEAN, PERCENTILE, FIRST_VALUE, LATEST_VALUE, PARTICIPATION ->
                    single(name, type.get(), fields);
        };
        if (type.get() == MetricType.PERCENTILE && fields.has("winsorize")) {
            fields.problemAt("winsorize", "winsorize does not apply to a percentile metric: a quantile of row values"
                    + " is not moved by extreme values (remove winsorize)");
        }
        if (type.get() == MetricType.PERCENTILE && fields.has("window")) {
            fields.problemAt("window", "window is not supported for a percentile metric (remove window)");
        }
        refusals(type.get(), fields);
        refuseOrderedAggregates(type.get(), fields);
        Optional<MetricOptions> options = new OptionsSection(problems).metric(fields);
        if (fields.failed() || name.isEmpty() || options.isEmpty()) {
            return Optional.empty();
        }
        return metric.map(m -> m.withOptions(options.get()));
    }

    /**
     * On an engine without {@link Engine.Ability#ORDERED_AGGREGATES} (Redshift): percentile, first_value and
     * latest_value metrics and winsorization, whose SQL needs aggregates over rows in orders of their own.
     */
    private void refuseOrderedAggregates(MetricType type, Fields fields) {
        if (engine.isEmpty() || engine.get().has(Engine.Ability.ORDERED_AGGREGATES)) {
            return;
        }
        String name = engine.get().configName();
        String why = "engine " + name + " cannot run it: a statement's sort-based aggregates must share one ORDER BY"
                + " and there is no ARRAY_AGG (docs/" + name + ".md)";
        if (type == MetricType.PERCENTILE || type == MetricType.FIRST_VALUE || type == MetricType.LATEST_VALUE) {
            fields.problemAt("type", "a " + type.configName() + " metric is not supported on " + why
                    + "; use engine duckdb, postgres, spark or snowflake for it");
        }
        if (fields.has("winsorize")) {
            fields.problemAt("winsorize", "winsorize is not supported on " + why + "; remove winsorize");
        }
    }

    private Optional<MetricType> type(Fields fields, String type) {
        if (TYPES.contains(type)) {
            return Optional.of(MetricType.valueOf(type.toUpperCase(Locale.ROOT)));
        }
        fields.problemAt("type", "unknown metric type '" + type + "'" + Suggestions.hintOrList(type, TYPES));
        return Optional.empty();
    }

    private Optional<Metric> single(Optional<MetricName> name, MetricType type, Fields fields) {
        String typeName = type.configName();
        for (String key : List.of("numerator", "denominator")) {
            fields.keyNode(key).ifPresent(k -> problems.add(k, fields.path(key),
                    "'" + key + "' belongs to a ratio metric, not a " + typeName + " metric"));
        }
        boolean needsValue = switch (type) {
            case SUM, COUNT_DISTINCT, MEAN, PERCENTILE, FIRST_VALUE, LATEST_VALUE -> true;
            case COUNT, UNIT_COUNT, RATIO, PARTICIPATION, THRESHOLD, RETENTION, FUNNEL -> false;
        };
        Optional<Source> source = fields.require("source", "the source whose rows it reads")
                ? source(fields, "source") : Optional.empty();
        Optional<String> value = Optional.empty();
        if (needsValue) {
            value = fields.requiredText("value", "the column or SQL expression to aggregate")
                    .flatMap(v -> expression(fields, "value", v));
        } else if (fields.has("value")) {
            problems.add(fields.keyNode("value").orElseThrow(), fields.path("value"),
                    "a " + typeName + " metric takes no value (" + (type == MetricType.PARTICIPATION
                            ? "it counts the days with a row; choose the rows with filter" : NO_VALUE_HINT) + ")");
            fields.fail();
        }
        Optional<Double> percentile = percentile(fields, type);
        Optional<String> filter = filter(fields);
        if (fields.failed() || name.isEmpty() || source.isEmpty()) {
            return Optional.empty();
        }
        MetricName metricName = name.get();
        SourceName sourceName = source.get().name();
        return Optional.of(switch (type) {
            case SUM -> new Metric.Sum(metricName, sourceName, value.orElseThrow(), filter);
            case COUNT -> new Metric.Count(metricName, sourceName, filter);
            case COUNT_DISTINCT -> new Metric.CountDistinct(metricName, sourceName, value.orElseThrow(), filter);
            case UNIT_COUNT -> new Metric.UnitCount(metricName, sourceName, filter);
            case MEAN -> new Metric.Mean(metricName, sourceName, value.orElseThrow(), filter);
            case PERCENTILE -> new Metric.Percentile(metricName, sourceName, value.orElseThrow(), percentile.orElseThrow(),
                    filter);
            case FIRST_VALUE -> new Metric.FirstValue(metricName, sourceName, value.orElseThrow(), filter, MetricOptions.DEFAULT);
            case LATEST_VALUE -> new Metric.LatestValue(metricName, sourceName, value.orElseThrow(), filter, MetricOptions.DEFAULT);
            case PARTICIPATION -> new Metric.Participation(metricName, sourceName, filter, MetricOptions.DEFAULT);
            case RATIO, FUNNEL, THRESHOLD, RETENTION ->
                    throw new IllegalStateException("a " + type.configName() + " has its own reader");
        });
    }

    /**
     * The options that first/latest value and participation metrics refuse (docs/metric-types.md): a capped
     * value is no row's value, and a unit without one would get a cap; a participation's days run from
     * the first exposure to the end, which a window would contradict.
     */
    private void refusals(MetricType type, Fields fields) {
        boolean value = type == MetricType.FIRST_VALUE || type == MetricType.LATEST_VALUE;
        if ((value || type == MetricType.PARTICIPATION) && fields.has("winsorize")) {
            fields.problemAt("winsorize", "winsorize does not apply to a " + type.configName() + " metric: "
                    + (value ? "a capped value is no row's value, and units without a value would get a cap"
                            : "its per-unit value is a share of days, already between 0 and 1")
                    + " (remove winsorize)");
        }
        if (type == MetricType.PARTICIPATION && fields.has("window")) {
            fields.problemAt("window", "window is not supported for a participation metric: its days run from each"
                    + " unit's first exposure to the experiment's end (remove window; for a share of units active in a"
                    + " window use unit_count with a window)");
        }
    }

    /** A percentile metric's {@code percentile}, in (0, 1); any other type must not have one. */
    private Optional<Double> percentile(Fields fields, MetricType type) {
        if (type != MetricType.PERCENTILE) {
            fields.keyNode("percentile").ifPresent(k -> problems.add(k, fields.path("percentile"),
                    "'percentile' belongs to a percentile metric, not a " + type.configName() + " metric"));
            if (fields.has("percentile")) {
                fields.fail();
            }
            return Optional.empty();
        }
        String meaning = "the quantile's probability between 0 and 1, such as 0.9 for the 90th percentile";
        if (!fields.require("percentile", meaning)) {
            return Optional.empty();
        }
        Optional<Double> percentile = fields.optionalNumber("percentile", meaning);
        if (percentile.isPresent() && !(percentile.get() > 0 && percentile.get() < 1)) {
            fields.problemAt("percentile", "percentile must be between 0 and 1 (exclusive), got "
                    + java.math.BigDecimal.valueOf(percentile.get()).stripTrailingZeros().toPlainString()
                    + (percentile.get() > 1 && percentile.get() < 100 ? " (write 90 as 0.9)" : ""));
            return Optional.empty();
        }
        return percentile;
    }

    private Optional<Metric> ratio(Optional<MetricName> name, Fields fields) {
        for (String key : List.of("source", "value", "filter")) {
            fields.keyNode(key).ifPresent(k -> problems.add(k, fields.path(key),
                    "a ratio metric gives its '" + key + "' inside numerator and denominator"));
        }
        percentile(fields, MetricType.RATIO);
        Optional<UnitAggregate> numerator = side(fields, "numerator");
        Optional<UnitAggregate> denominator = side(fields, "denominator");
        if (fields.failed() || name.isEmpty() || numerator.isEmpty() || denominator.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Metric.Ratio(name.get(), numerator.get(), denominator.get()));
    }

    private Optional<UnitAggregate> side(Fields ratio, String key) {
        if (!ratio.require(key, "{source, agg: sum|count|count_distinct, value, filter}")) {
            return Optional.empty();
        }
        Optional<Fields> read = ratio.check(Fields.read(ratio.value(key).orElseThrow(), ratio.path(key), problems,
                SIDE_KEYS, "a map such as {source: events, agg: sum, value: revenue}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<Source> source = fields.require("source", "the source whose rows it reads")
                ? source(fields, "source") : Optional.empty();
        Optional<AggregateFunction> function = fields.requiredText("agg", String.join(", ", SIDE_AGGREGATES))
                .flatMap(agg -> aggregate(fields, agg));
        Optional<String> value = Optional.empty();
        if (function.isPresent()) {
            if (function.get() == AggregateFunction.COUNT_ROWS) {
                if (fields.has("value")) {
                    problems.add(fields.keyNode("value").orElseThrow(), fields.path("value"),
                            "agg count takes no value (use agg count_distinct to count distinct values, or sum to add them up)");
                    fields.fail();
                }
            } else {
                value = fields.requiredText("value", "the column or SQL expression to aggregate")
                        .flatMap(v -> expression(fields, "value", v));
            }
        }
        Optional<String> filter = filter(fields);
        if (fields.failed()) {
            ratio.fail();
            return Optional.empty();
        }
        if (source.isEmpty() || function.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UnitAggregate(source.get().name(), function.get(), value, filter));
    }

    private Optional<AggregateFunction> aggregate(Fields fields, String agg) {
        return switch (agg) {
            case "sum" -> Optional.of(AggregateFunction.SUM);
            case "count" -> Optional.of(AggregateFunction.COUNT_ROWS);
            case "count_distinct" -> Optional.of(AggregateFunction.COUNT_DISTINCT);
            default -> {
                fields.problemAt("agg", "unknown agg '" + agg + "'" + Suggestions.hintOrList(agg, SIDE_AGGREGATES));
                yield Optional.empty();
            }
        };
    }

    /** The source named at {@code key}; a dangling name is a problem, a source that failed is silently empty. */
    Optional<Source> source(Fields fields, String key) {
        Optional<String> name = fields.optionalText(key, "a source name");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!sources.complete()) {
            fields.fail();
            return Optional.empty();
        }
        if (!sources.declared().contains(name.get())) {
            fields.problemAt(key, "unknown source '" + name.get() + "'" + Suggestions.hintOrList(name.get(), sources.declared()));
            return Optional.empty();
        }
        return sources.parsed().values().stream().filter(s -> s.name().value().equals(name.get())).findFirst();
    }

    Optional<String> expression(Fields fields, String key, String text) {
        SqlText.Checked checked = SqlText.expression(key, text, lexicons);
        checked.problem().ifPresent(p -> fields.problemAt(key, p));
        return checked.text();
    }

    /** The optional filter: one boolean SQL expression ({@link Fields#optionalFilter}). */
    Optional<String> filter(Fields fields) {
        return fields.optionalFilter("filter", lexicons);
    }
}
