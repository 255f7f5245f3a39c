package dev.pulse.config;

import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;
import dev.pulse.model.Source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code type: funnel} metric (docs/metric-types.md#funnel): its steps, window and options. The
 * keys of the metric map that only a funnel takes are {@link #KEYS}; {@code denominator} is shared with
 * the ratio metric, where it is a map.
 */
final class FunnelSection {
    static final List<String> KEYS = ConfigSchema.FUNNEL_KEYS.stream().map(ConfigSchema.Key::name).toList();
    private static final List<String> STEP_KEYS = ConfigSchema.FUNNEL_STEP.names();
    private static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> WINDOW_FROM = ConfigSchema.WINDOW_FROM.values();
    private static final List<String> DENOMINATORS = ConfigSchema.FUNNEL_DENOMINATORS.values();
    private static final String STEPS_MEANING = "a list of 2 to " + Metric.Funnel.MAX_STEPS
            + " steps, such as [{name: viewed, source: events, filter: \"event = 'view'\"}, {name: bought, source: orders}]";

    private final Problems problems;
    private final MetricSection metrics;

    FunnelSection(Problems problems, MetricSection metrics) {
        this.problems = problems;
        this.metrics = metrics;
    }

    /** On a metric of another type: every funnel key is a problem. */
    void rejectKeys(Fields fields, MetricType type) {
        for (String key : KEYS) {
            fields.keyNode(key).ifPresent(k -> {
                problems.add(k, fields.path(key), "'" + key + "' belongs to a funnel metric, not a "
                        + type.configName() + " metric");
                fields.fail();
            });
        }
    }

    Optional<Metric> read(Optional<MetricName> name, Fields fields) {
        for (String key : List.of("source", "value", "filter", "numerator", "percentile")) {
            fields.keyNode(key).ifPresent(k -> {
                problems.add(k, fields.path(key), "a funnel metric takes no '" + key + "': each step names its"
                        + " source and filter");
                fields.fail();
            });
        }
        if (fields.has("winsorize")) {
            fields.problemAt("winsorize", "winsorize does not apply to a funnel metric: its per-unit values are 0"
                    + " or 1 (remove winsorize)");
        }
        if (fields.has("window")) {
            fields.problemAt("window", "window is not supported for a funnel metric; its conversion window is"
                    + " window_days (replace window with window_days)");
        }
        List<Metric.Funnel.Step> steps = steps(fields);
        OptionalInt windowDays = OptionalInt.empty();
        Optional<Double> days = fields.optionalNumber("window_days", "a whole number of days, such as 7");
        if (days.isPresent()) {
            double value = days.get();
            if (value != Math.rint(value) || value < 1 || value > dev.pulse.model.MetricWindow.MAX_DAYS) {
                fields.problemAt("window_days", "window_days must be a whole number of days from 1 to "
                        + dev.pulse.model.MetricWindow.MAX_DAYS + ", got " + java.math.BigDecimal.valueOf(value)
                        .stripTrailingZeros().toPlainString());
            } else {
                windowDays = OptionalInt.of((int) value);
            }
        }
        Metric.Funnel.WindowFrom windowFrom = choice(fields, "window_from", WINDOW_FROM)
                .map(text -> text.equals("first_step") ? Metric.Funnel.WindowFrom.FIRST_STEP
                        : Metric.Funnel.WindowFrom.PREVIOUS_STEP)
                .orElse(Metric.Funnel.WindowFrom.FIRST_STEP);
        if (fields.has("window_from") && !fields.has("window_days")) {
            fields.problemAt("window_from", "window_from says where window_days is measured from, and there is no"
                    + " window_days (add window_days, or remove window_from)");
        }
        boolean ordered = choice(fields, "ordered", List.of("true", "false")).map("true"::equals).orElse(true);
        Metric.Funnel.Denominator denominator = choice(fields, "denominator", DENOMINATORS)
                .map(text -> text.equals("first_step") ? Metric.Funnel.Denominator.FIRST_STEP
                        : Metric.Funnel.Denominator.EXPOSED)
                .orElse(Metric.Funnel.Denominator.FIRST_STEP);
        if (fields.failed() || name.isEmpty() || steps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Metric.Funnel(name.get(), steps, windowDays, windowFrom, ordered, denominator,
                dev.pulse.model.MetricOptions.DEFAULT));
    }

    /** The steps, or empty after reporting what is wrong with them. */
    private List<Metric.Funnel.Step> steps(Fields fields) {
        if (!fields.require("steps", STEPS_MEANING)) {
            return List.of();
        }
        String path = fields.path("steps");
        Optional<List<Node>> items = fields.check(Nodes.sequence(fields.value("steps").orElseThrow(), path, problems,
                STEPS_MEANING));
        if (items.isEmpty()) {
            return List.of();
        }
        if (items.get().size() < 2 || items.get().size() > Metric.Funnel.MAX_STEPS) {
            fields.problemAt("steps", "a funnel has 2 to " + Metric.Funnel.MAX_STEPS + " steps, got "
                    + items.get().size());
        }
        List<Metric.Funnel.Step> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean complete = true;
        for (int i = 0; i < items.get().size(); i++) {
            Optional<Fields> read = fields.check(Fields.read(items.get().get(i), Nodes.index(path, i), problems,
                    STEP_KEYS, "a map with a name, a source and an optional filter"));
            if (read.isEmpty()) {
                complete = false;
                continue;
            }
            Fields step = read.get();
            Optional<String> name = step.requiredText("name", "the step's name, such as viewed");
            if (name.isPresent() && !STEP_NAME.matcher(name.get()).matches()) {
                step.problemAt("name", "a step name is lower-case letters, digits and underscores, starting with a"
                        + " letter, got '" + Nodes.shortened(name.get()) + "'");
            } else if (name.isPresent() && !names.add(name.get())) {
                step.problemAt("name", "step '" + name.get() + "' is named twice in this funnel");
            }
            Optional<Source> source = step.require("source", "the source whose rows reach this step")
                    ? metrics.source(step, "source") : Optional.empty();
            Optional<String> filter = metrics.filter(step);
            if (step.failed() || name.isEmpty() || source.isEmpty()) {
                fields.fail();
                complete = false;
                continue;
            }
            steps.add(new Metric.Funnel.Step(name.get(), source.get().name(), filter));
        }
        return complete && !fields.failed() ? steps : List.of();
    }

    /** One of {@code allowed} at {@code key}, if given and valid. */
    private Optional<String> choice(Fields fields, String key, List<String> allowed) {
        Optional<String> text = fields.optionalText(key, String.join(" or ", allowed));
        if (text.isPresent() && !allowed.contains(text.get())) {
            fields.problemAt(key, "expected " + String.join(" or ", allowed) + ", got '"
                    + Nodes.shortened(text.get()) + "'" + Suggestions.hint(text.get(), allowed));
            return Optional.empty();
        }
        return text;
    }
}
