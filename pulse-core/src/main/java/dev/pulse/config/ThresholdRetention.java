package dev.pulse.config;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitThreshold;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the keys of {@code threshold} and {@code retention} metrics (docs/metric-types.md#threshold,
 * #retention) for {@link MetricSection}, and refuses them on the other types. Kept apart so that each
 * type's reading is one place.
 */
final class ThresholdRetention {
    /** The keys only these types take, and the type that takes each. */
    static final Map<String, MetricType> KEYS = Map.of(
            "aggregate", MetricType.THRESHOLD,
            "threshold", MetricType.THRESHOLD,
            "comparison", MetricType.THRESHOLD,
            "start_days", MetricType.RETENTION,
            "end_days", MetricType.RETENTION);
    private static final List<String> AGGREGATES = ConfigSchema.THRESHOLD_AGGREGATES.values();
    private static final List<String> COMPARISONS = Arrays.stream(UnitThreshold.Comparison.values())
            .map(UnitThreshold.Comparison::symbol).toList();

    private final MetricSection metrics;
    private final Problems problems;

    ThresholdRetention(MetricSection metrics, Problems problems) {
        this.metrics = metrics;
        this.problems = problems;
    }

    /**
     * Reports every key of {@link #KEYS} on a metric of another type, and on a threshold or retention
     * metric the keys of other types that {@link MetricSection} refuses only in its own readers.
     */
    static void refuseForeignKeys(Fields fields, MetricType type, Problems problems) {
        KEYS.forEach((key, owner) -> {
            if (owner != type) {
                refuse(fields, key, owner.configName(), type, problems);
            }
        });
        if (type == MetricType.THRESHOLD || type == MetricType.RETENTION) {
            refuse(fields, "percentile", "percentile", type, problems);
            refuse(fields, "numerator", "ratio", type, problems);
            refuse(fields, "denominator", "ratio", type, problems);
            if (fields.has("winsorize")) {
                fields.problemAt("winsorize", "winsorize does not apply to a " + type.configName()
                        + " metric: its value per unit is 0 or 1 (remove winsorize)");
            }
        }
    }

    private static void refuse(Fields fields, String key, String owner, MetricType type, Problems problems) {
        fields.keyNode(key).ifPresent(node -> {
            problems.add(node, fields.path(key), "'" + key + "' belongs to a " + owner + " metric, not a "
                    + type.configName() + " metric");
            fields.fail();
        });
    }

    /** The metric of {@code type} (threshold or retention), without its options; empty after a problem. */
    Optional<Metric> read(Optional<MetricName> name, MetricType type, Fields fields) {
        Optional<Source> source = fields.require("source", "the source whose rows it reads")
                ? metrics.source(fields, "source") : Optional.empty();
        Optional<String> filter = metrics.filter(fields);
        // read every key (each problem is reported) before building anything from what did parse
        Optional<ThresholdParts> threshold = type == MetricType.THRESHOLD ? threshold(fields) : Optional.empty();
        Optional<MetricWindow> window = type == MetricType.RETENTION ? retention(fields) : Optional.empty();
        if (fields.failed() || name.isEmpty() || source.isEmpty()) {
            return Optional.empty();
        }
        SourceName sourceName = source.get().name();
        return type == MetricType.THRESHOLD
                ? threshold.map(t -> new Metric.Threshold(name.get(), sourceName, t.function(), t.value(), filter,
                        t.threshold()))
                : window.map(w -> new Metric.Retention(name.get(), sourceName, filter, w));
    }

    private record ThresholdParts(AggregateFunction function, Optional<String> value, UnitThreshold threshold) {}

    private Optional<ThresholdParts> threshold(Fields fields) {
        Optional<AggregateFunction> function = fields.requiredText("aggregate",
                "sum, count or count_distinct: the unit's aggregate that is compared with the threshold")
                .flatMap(text -> aggregate(fields, text));
        Optional<String> value = Optional.empty();
        if (function.isPresent() && function.get() == AggregateFunction.COUNT_ROWS) {
            if (fields.has("value")) {
                problems.add(fields.keyNode("value").orElseThrow(), fields.path("value"),
                        "aggregate count takes no value (use aggregate count_distinct to count distinct values,"
                                + " or sum to add them up)");
                fields.fail();
            }
        } else if (function.isPresent()) {
            value = fields.requiredText("value", "the column or SQL expression to aggregate")
                    .flatMap(text -> metrics.expression(fields, "value", text));
        }
        Optional<Double> threshold = fields.require("threshold",
                "the number the unit's aggregate is compared with, such as 100")
                ? fields.optionalNumber("threshold", "a number, such as 100") : Optional.empty();
        Optional<UnitThreshold.Comparison> comparison = fields.has("comparison")
                ? fields.optionalText("comparison", "\">=\" or \">\"").flatMap(text -> comparison(fields, text))
                : Optional.of(UnitThreshold.Comparison.AT_LEAST);
        if (function.isEmpty() || threshold.isEmpty() || comparison.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ThresholdParts(function.get(), value,
                new UnitThreshold(threshold.get(), comparison.get())));
    }

    private static Optional<AggregateFunction> aggregate(Fields fields, String text) {
        return switch (text) {
            case "sum" -> Optional.of(AggregateFunction.SUM);
            case "count" -> Optional.of(AggregateFunction.COUNT_ROWS);
            case "count_distinct" -> Optional.of(AggregateFunction.COUNT_DISTINCT);
            default -> {
                fields.problemAt("aggregate", "unknown aggregate '" + text + "'" + Suggestions.hintOrList(text, AGGREGATES));
                yield Optional.empty();
            }
        };
    }

    private static Optional<UnitThreshold.Comparison> comparison(Fields fields, String text) {
        for (UnitThreshold.Comparison comparison : UnitThreshold.Comparison.values()) {
            if (comparison.symbol().equals(text.strip())) {
                return Optional.of(comparison);
            }
        }
        fields.problemAt("comparison", "unknown comparison '" + text + "' (expected \">=\", the default, or \">\";"
                + " write it in quotes)");
        return Optional.empty();
    }

    /** A retention metric's window from its own {@code start_days} and {@code end_days}, both required. */
    private Optional<MetricWindow> retention(Fields fields) {
        if (fields.has("value")) {
            problems.add(fields.keyNode("value").orElseThrow(), fields.path("value"), "a retention metric takes no"
                    + " value (a unit is retained when it has a row that passes the filter inside the window)");
            fields.fail();
        }
        if (fields.has("window")) {
            fields.problemAt("window", "a retention metric has its own window in start_days and end_days"
                    + " (remove window)");
        }
        String days = "a whole number of days after the first exposure, such as 7";
        Optional<Long> start = fields.require("start_days", "the day after the first exposure the window opens, such as 7")
                ? OptionsSection.wholeNumber(fields, "start_days", days, 0, MetricWindow.MAX_DAYS - 1)
                : Optional.empty();
        Optional<Long> end = fields.require("end_days", "the day after the first exposure the window closes, such as 8")
                ? OptionsSection.wholeNumber(fields, "end_days", days, 1, MetricWindow.MAX_DAYS)
                : Optional.empty();
        if (start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        if (end.get() <= start.get()) {
            fields.problemAt("end_days", "the retention window is empty: end_days " + end.get()
                    + " must be more than start_days " + start.get()
                    + " (the window is [first exposure + start_days, first exposure + end_days))");
            return Optional.empty();
        }
        return Optional.of(new MetricWindow(start.get().intValue(), end.get().intValue()));
    }
}
