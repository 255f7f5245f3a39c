package dev.pulse.config;

import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.BiasCheck;
import dev.pulse.model.Correction;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.InferenceMethod;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricFamily;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricRole;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.Prior;
import dev.pulse.model.RelativeInterval;
import dev.pulse.model.Sequential;
import dev.pulse.model.SequentialMethod;
import dev.pulse.model.Winsorization;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the analysis options of an experiment (cuped, correction, relative_ci, sequential, method,
 * prior, bias_check) and of a metric (direction, winsorize). Each option has a default when absent; a bad value
 * is a problem at its node and fails the experiment or metric that holds it.
 */
final class OptionsSection {
    static final List<String> EXPERIMENT_KEYS = ConfigSchema.EXPERIMENT_OPTIONS.stream().map(ConfigSchema.Key::name).toList();
    static final List<String> METRIC_KEYS = ConfigSchema.METRIC_OPTIONS.stream().map(ConfigSchema.Key::name).toList();
    static final int MAX_LOOKBACK_DAYS = 3650;

    private final Problems problems;

    OptionsSection(Problems problems) {
        this.problems = problems;
    }

    /**
     * The experiment's options; empty (and {@code fields} failed) when one of them is bad. {@code metrics} and
     * {@code dimensions}: the experiment's metrics and dimensions, which CUPED's covariates and attributes name.
     */
    Optional<AnalysisOptions> experiment(Fields fields, List<Metric> metrics, List<String> dimensions) {
        Optional<Cuped> cuped = fields.value("cuped").flatMap(node -> cuped(fields, node, metrics, dimensions));
        Optional<Correction> correction = choice(fields, "correction", Correction.values(), Correction::configName);
        Optional<RelativeInterval> relative = choice(fields, "relative_ci", RelativeInterval.values(),
                RelativeInterval::configName);
        Optional<Sequential> sequential = fields.value("sequential").flatMap(node -> sequential(fields, node));
        Optional<InferenceMethod> method = choice(fields, "method", InferenceMethod.values(), InferenceMethod::configName);
        Optional<Prior> prior = fields.value("prior").flatMap(node -> prior(fields, node));
        Optional<BiasCheck> biasCheck = fields.value("bias_check").flatMap(node -> biasCheck(fields, node, cuped,
                fields.has("cuped")));
        if (fields.has("prior") && method.orElse(InferenceMethod.FREQUENTIST) != InferenceMethod.BAYESIAN
                && (method.isPresent() || !fields.has("method"))) {
            fields.problemAt("prior", "a prior is only used by method: bayesian (add method: bayesian, or remove prior)");
        }
        Optional<PlannedLooks> plannedLooks = fields.value("planned_looks").flatMap(node -> plannedLooks(fields, node));
        if (fields.has("planned_looks") && fields.has("sequential")) {
            fields.problemAt("planned_looks", "planned_looks (a group-sequential test) and sequential (an always-valid"
                    + " test) are two ways to look early; keep one (planned_looks when you look on fixed dates)");
        }
        if (fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new AnalysisOptions(cuped,
                correction.orElse(AnalysisOptions.DEFAULT.correction()),
                relative.orElse(AnalysisOptions.DEFAULT.relativeInterval()),
                sequential,
                method.orElse(AnalysisOptions.DEFAULT.method()),
                prior,
                biasCheck,
                plannedLooks));
    }

    /**
     * {@code planned_looks: [2026-03-08, 2026-03-15]} or {@code {dates: [...], spending: pocock}}: strictly
     * increasing dates; spending {@code obrien_fleming} (default) or {@code pocock}. Whether the dates fit the
     * experiment's start and end is checked by the experiment.
     */
    private Optional<PlannedLooks> plannedLooks(Fields parent, Node node) {
        String path = parent.path("planned_looks");
        Node datesNode = node;
        Optional<PlannedLooks.Spending> spending = Optional.of(PlannedLooks.Spending.OBRIEN_FLEMING);
        Optional<Fields> map = Optional.empty();
        if (!(node instanceof SequenceNode)) {
            map = parent.check(Fields.read(node, path, problems, ConfigSchema.PLANNED_LOOKS.names(),
                    "a list of look dates, or a map such as {dates: [2026-03-08, 2026-03-15], spending: obrien_fleming}"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            if (!map.get().require("dates", "the planned look dates, such as [2026-03-08, 2026-03-15]")) {
                return finish(parent, map.get(), Optional.empty());
            }
            Fields fields = map.get();
            datesNode = fields.value("dates").orElseThrow();
            path = fields.path("dates");
            spending = fields.has("spending")
                    ? choice(fields, "spending", PlannedLooks.Spending.values(), PlannedLooks.Spending::configName)
                    : Optional.of(PlannedLooks.Spending.OBRIEN_FLEMING);
        }
        Optional<List<Node>> items = Nodes.sequence(datesNode, path, problems,
                "a list of look dates, such as [2026-03-08, 2026-03-15]");
        List<LocalDate> dates = new ArrayList<>();
        boolean bad = items.isEmpty();
        if (items.isPresent() && (items.get().isEmpty() || items.get().size() > PlannedLooks.MAX_LOOKS)) {
            problems.add(datesNode, path, "planned looks need 1 to " + PlannedLooks.MAX_LOOKS + " dates, got "
                    + items.get().size());
            bad = true;
        }
        for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
            Node item = items.get().get(i);
            Optional<LocalDate> date = Nodes.date(item, Nodes.index(path, i), problems);
            if (date.isEmpty()) {
                bad = true;
            } else if (!dates.isEmpty() && !date.get().isAfter(dates.get(dates.size() - 1))) {
                problems.add(item, Nodes.index(path, i), "look dates must increase: " + date.get()
                        + " is not after " + dates.get(dates.size() - 1) + " (list each look once, in order)");
                bad = true;
            } else {
                date.ifPresent(dates::add);
            }
        }
        if (bad || spending.isEmpty() || map.map(Fields::failed).orElse(false)) {
            parent.fail();
            return Optional.empty();
        }
        return Optional.of(new PlannedLooks(dates, spending.get()));
    }

    /** The metric's options; empty (and {@code fields} failed) when one of them is bad. */
    Optional<MetricOptions> metric(Fields fields) {
        Optional<Direction> direction = choice(fields, "direction", Direction.values(), Direction::configName);
        Optional<Winsorization> winsorize = fields.value("winsorize").flatMap(node -> winsorize(fields, node));
        Optional<MetricWindow> window = fields.value("window").flatMap(node -> window(fields, node));
        Optional<MetricRole> role = choice(fields, "role", MetricRole.values(), MetricRole::configName);
        if (fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new MetricOptions(direction.orElse(MetricOptions.DEFAULT.direction()), winsorize, window,
                role));
    }

    /** {@code window: {start_days: 0, end_days: 7}}: start_days defaults to 0, end_days is required. */
    private Optional<MetricWindow> window(Fields parent, Node node) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("window"), problems,
                ConfigSchema.WINDOW.names(), "a map such as {start_days: 0, end_days: 7}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        String days = "a whole number of days after the first exposure, such as 7";
        Optional<Long> start = fields.has("start_days")
                ? wholeNumber(fields, "start_days", days, 0, MetricWindow.MAX_DAYS - 1)
                : Optional.of(0L);
        Optional<Long> end = fields.require("end_days", "the day after the first exposure the window closes, such as 7")
                ? wholeNumber(fields, "end_days", days, 1, MetricWindow.MAX_DAYS)
                : Optional.empty();
        if (start.isPresent() && end.isPresent() && end.get() <= start.get()) {
            fields.problemAt("end_days", "the window is empty: end_days " + end.get() + " must be more than start_days "
                    + start.get() + " (the window is [first exposure + start_days, first exposure + end_days))");
        }
        if (fields.failed()) {
            parent.fail();
            return Optional.empty();
        }
        return Optional.of(new MetricWindow(start.orElseThrow().intValue(), end.orElseThrow().intValue()));
    }

    private Optional<Cuped> cuped(Fields parent, Node node, List<Metric> metrics, List<String> dimensions) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("cuped"), problems,
                ConfigSchema.CUPED.names(), "a map such as {lookback_days: 14}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<Long> days = fields.require("lookback_days", "the days before each unit's first exposure to use, such as 14")
                ? wholeNumber(fields, "lookback_days", "a whole number of days, such as 14", 1, MAX_LOOKBACK_DAYS)
                : Optional.empty();
        List<MetricName> covariates = new ArrayList<>();
        boolean all = fields.value("covariates").map(value -> covariates(fields, value, metrics, covariates)).orElse(false);
        List<String> attributes = fields.value("attributes").map(value -> attributes(fields, value, dimensions))
                .orElse(List.of());
        return finish(parent, fields, days.map(d -> new Cuped(Math.toIntExact(d), covariates, all, attributes)));
    }

    /**
     * {@code attributes: [country]}: dimensions of the experiment whose values are covariates (each value but the
     * one with most units an indicator; docs/regression-adjustment.md).
     */
    private List<String> attributes(Fields fields, Node node, List<String> dimensions) {
        String path = fields.path("attributes");
        List<String> attributes = new ArrayList<>();
        Optional<List<Node>> items = fields.check(Nodes.sequence(node, path, problems,
                "a list of the experiment's dimensions, such as [country]"));
        for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
            Node item = items.get().get(i);
            String itemPath = Nodes.index(path, i);
            Optional<String> column = fields.check(Nodes.text(item, itemPath, problems, "a dimension's column name"));
            if (column.isEmpty()) {
                continue;
            }
            if (attributes.contains(column.get())) {
                problems.add(item, itemPath, "attribute '" + column.get() + "' is listed twice");
            } else if (!dimensions.contains(column.get())) {
                String hint = Suggestions.hint(column.get(), dimensions);
                problems.add(item, itemPath, "attribute '" + column.get() + "' is not one of the experiment's dimensions"
                        + (dimensions.isEmpty() ? "" : " " + dimensions) + ": an attribute's values come from the"
                        + " dimension breakdown's moments" + (hint.isEmpty()
                        ? " (add dimensions: [" + column.get() + "])" : hint));
            } else {
                attributes.add(column.get());
                continue;
            }
            fields.fail();
        }
        return attributes;
    }

    /**
     * {@code covariates: all} (every moment metric of the experiment) or a list of the experiment's moment metrics
     * whose pre-period values are covariates of every metric (docs/regression-adjustment.md); adds the listed ones to
     * {@code covariates} and returns true for {@code all}.
     */
    private boolean covariates(Fields fields, Node node, List<Metric> metrics, List<MetricName> covariates) {
        String path = fields.path("covariates");
        String expected = "all, or a list of the experiment's metrics whose pre-period values are covariates, such as"
                + " [purchases, sessions]";
        if (!(node instanceof SequenceNode)) {
            Optional<String> text = fields.check(Nodes.text(node, path, problems, expected));
            if (text.isPresent() && !text.get().equals("all")) {
                problems.add(node, path, "expected " + expected + ", got '" + Nodes.shortened(text.get()) + "'");
                fields.fail();
            }
            return text.isPresent();
        }
        List<Metric> moments = metrics.stream().filter(metric -> metric.family() == MetricFamily.MOMENTS).toList();
        List<String> names = metrics.stream().map(metric -> metric.name().value()).toList();
        Optional<List<Node>> items = fields.check(Nodes.sequence(node, path, problems, expected));
        for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
            Node item = items.get().get(i);
            String itemPath = Nodes.index(path, i);
            Optional<MetricName> name = fields.check(Names.metric(item, itemPath, problems));
            if (name.isEmpty()) {
                continue;
            }
            Optional<Metric> metric = metrics.stream().filter(m -> m.name().equals(name.get())).findFirst();
            if (covariates.contains(name.get())) {
                problems.add(item, itemPath, "covariate '" + name.get() + "' is listed twice");
            } else if (metric.isEmpty()) {
                String hint = Suggestions.hint(name.get().value(), names);
                problems.add(item, itemPath, "covariate '" + name.get() + "' is not one of the experiment's metrics "
                        + names + ": a covariate is the pre-period value of a metric the experiment analyses"
                        + (hint.isEmpty() ? " (add '" + name.get() + "' to its metrics)" : hint));
            } else if (!moments.contains(metric.get())) {
                problems.add(item, itemPath, "covariate '" + name.get() + "' is a " + metric.get().type().configName()
                        + " metric, which has no per-unit pre-period value to adjust by (use a metric such as a sum,"
                        + " count, mean or ratio)");
            } else if (metric.get().options().window().isPresent()) {
                problems.add(item, itemPath, "covariate '" + name.get() + "' has a window, so its values are over the"
                        + " units whose window closed, not every unit (remove it here; it is still adjusted by its own"
                        + " pre-period)");
            } else {
                covariates.add(name.get());
                continue;
            }
            fields.fail();
        }
        return false;
    }

    /**
     * {@code bias_check: {lookback_days: 14, threshold: 0.001}}: with CUPED, lookback_days defaults to CUPED's and
     * may not differ from it (one pre-period per pass); without CUPED it is required. threshold defaults to
     * GrowthBook's 0.001.
     */
    private Optional<BiasCheck> biasCheck(Fields parent, Node node, Optional<Cuped> cuped, boolean cupedGiven) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("bias_check"), problems,
                ConfigSchema.BIAS_CHECK.names(), "a map such as {lookback_days: 14, threshold: 0.001}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        String meaning = "a whole number of days, such as 14";
        Optional<Long> days;
        if (fields.has("lookback_days")) {
            days = wholeNumber(fields, "lookback_days", meaning, 1, MAX_LOOKBACK_DAYS);
            if (days.isPresent() && cuped.isPresent() && days.get() != cuped.get().lookbackDays()) {
                fields.problemAt("lookback_days", "lookback_days " + days.get() + " differs from cuped's "
                        + cuped.get().lookbackDays() + ": the bias check compares the pre-period CUPED reads in the same"
                        + " pass (remove lookback_days here, or make the two equal)");
                days = Optional.empty();
            }
        } else if (cuped.isPresent()) {
            days = Optional.of((long) cuped.get().lookbackDays());
        } else if (cupedGiven) {
            days = Optional.empty(); // cuped itself is bad and reported; nothing to add
            fields.fail();
        } else {
            fields.require("lookback_days", "the days before each unit's first exposure to compare, such as 14"
                    + " (without cuped the bias check needs its own pre-period)");
            days = Optional.empty();
        }
        Optional<Double> threshold = fields.optionalNumber("threshold",
                "a family-wise level between 0 and 1, such as 0.001");
        if (threshold.isPresent() && !(threshold.get() > 0 && threshold.get() < 1)) {
            fields.problemAt("threshold", "threshold must be between 0 and 1 (exclusive), got " + plain(threshold.get()));
            threshold = Optional.empty();
        }
        double level = threshold.orElse(BiasCheck.DEFAULT_THRESHOLD);
        return finish(parent, fields, days.map(d -> new BiasCheck(Math.toIntExact(d), level)));
    }

    /**
     * {@code sequential: {min_units: 100, tau: 0.05}} (the mixture SPRT) or
     * {@code sequential: {method: growthbook, tuning: 5000}}; {@code tau} belongs to {@code msprt} only and
     * {@code tuning} to {@code growthbook} only.
     */
    private Optional<Sequential> sequential(Fields parent, Node node) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("sequential"), problems,
                ConfigSchema.SEQUENTIAL.names(), "a map such as {min_units: 100, tau: 0.1}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<SequentialMethod> method = choice(fields, "method", SequentialMethod.values(),
                SequentialMethod::configName);
        Optional<Long> minUnits = fields.has("min_units")
                ? wholeNumber(fields, "min_units", "a whole number of units, such as 100", 1, Integer.MAX_VALUE)
                : Optional.of(Sequential.DEFAULT_MIN_UNITS);
        Optional<Double> tau = positive(fields, "tau", "a positive number, such as 0.1");
        Optional<Double> tuning = positive(fields, "tuning",
                "a positive number, the total sample size where the interval is tightest, such as 5000");
        SequentialMethod chosen = method.orElse(SequentialMethod.MSPRT);
        if (fields.has("tau") && chosen == SequentialMethod.GROWTHBOOK) {
            fields.problemAt("tau", "tau is the msprt method's mixing scale; method growthbook is tuned by tuning"
                    + " (such as tuning: 5000), remove tau");
        }
        if (fields.has("tuning") && chosen == SequentialMethod.MSPRT && (method.isPresent() || !fields.has("method"))) {
            fields.problemAt("tuning", "tuning belongs to method: growthbook (add method: growthbook, or use tau"
                    + " for the default msprt)");
        }
        if (fields.failed()) { // the combination is invalid: do not build it
            parent.fail();
            return Optional.empty();
        }
        return finish(parent, fields, minUnits.map(units -> new Sequential(units, chosen,
                tau.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                tuning.map(OptionalDouble::of).orElse(OptionalDouble.empty()))));
    }

    private Optional<Prior> prior(Fields parent, Node node) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("prior"), problems, ConfigSchema.PRIOR.names(),
                "a map such as {mean: 0, sd: 0.3}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        double mean = fields.optionalNumber("mean", "a number, the prior mean of the relative lift, such as 0").orElse(0.0);
        Optional<Double> sd = fields.require("sd", "the prior standard deviation of the relative lift, such as 0.3")
                ? positive(fields, "sd", "a positive number, such as 0.3")
                : Optional.empty();
        return finish(parent, fields, sd.map(s -> new Prior(mean, s)));
    }

    private Optional<Winsorization> winsorize(Fields parent, Node node) {
        Optional<Fields> read = parent.check(Fields.read(node, parent.path("winsorize"), problems, ConfigSchema.WINSORIZE.names(),
                "a map such as {lower: 0.01, upper: 0.99}"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<Double> lower = quantile(fields, "lower");
        Optional<Double> upper = quantile(fields, "upper");
        if (!fields.has("lower") && !fields.has("upper")) {
            if (fields.suggested("lower") || fields.suggested("upper")) {
                fields.fail(); // the misspelt key is already reported
            } else {
                fields.problem("winsorize needs lower, upper or both, such as {lower: 0.01, upper: 0.99}");
            }
        } else if (lower.isPresent() && upper.isPresent() && !(lower.get() < upper.get())) {
            fields.problemAt("lower", "lower " + plain(lower.get()) + " must be below upper " + plain(upper.get()));
        }
        if (fields.failed()) {
            parent.fail();
            return Optional.empty();
        }
        return Optional.of(new Winsorization(
                lower.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                upper.map(OptionalDouble::of).orElse(OptionalDouble.empty())));
    }

    /** A quantile strictly between 0 and 1. */
    private Optional<Double> quantile(Fields fields, String key) {
        Optional<Double> value = fields.optionalNumber(key, "a quantile between 0 and 1, such as "
                + ("lower".equals(key) ? "0.01" : "0.99"));
        if (value.isPresent() && !(value.get() > 0 && value.get() < 1)) {
            fields.problemAt(key, key + " must be between 0 and 1 (exclusive), got " + plain(value.get()));
            return Optional.empty();
        }
        return value;
    }

    private Optional<Double> positive(Fields fields, String key, String meaning) {
        Optional<Double> value = fields.optionalNumber(key, meaning);
        if (value.isPresent() && !(value.get() > 0)) {
            fields.problemAt(key, key + " must be more than 0, got " + plain(value.get()));
            return Optional.empty();
        }
        return value;
    }

    static Optional<Long> wholeNumber(Fields fields, String key, String meaning, long min, long max) {
        Optional<Double> value = fields.optionalNumber(key, meaning);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        double number = value.get();
        String problem = number != Math.rint(number) ? "must be a whole number"
                : number < min ? "must be at least " + min
                : number > max ? "must be at most " + max
                : "";
        if (!problem.isEmpty()) {
            fields.problemAt(key, key + " " + problem + ", got " + plain(number));
            return Optional.empty();
        }
        return Optional.of((long) number);
    }

    /** One of {@code choices} by its config name; absent is empty without a problem. */
    private static <T> Optional<T> choice(Fields fields, String key, T[] choices, Function<T, String> configName) {
        List<String> names = Arrays.stream(choices).map(configName).toList();
        Optional<String> text = fields.optionalText(key, String.join(" or ", names));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (T choice : choices) {
            if (configName.apply(choice).equals(text.get())) {
                return Optional.of(choice);
            }
        }
        fields.problemAt(key, "unknown " + key + " '" + text.get() + "'" + Suggestions.hintOrList(text.get(), names));
        return Optional.empty();
    }

    /** A nested map's value, failing {@code parent} when the nested map failed. */
    private static <T> Optional<T> finish(Fields parent, Fields fields, Optional<T> value) {
        if (fields.failed() || value.isEmpty()) {
            parent.fail();
            return Optional.empty();
        }
        return value;
    }

    /** A number as written: 14, 0.5, 1.5 (not 14.0). */
    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }
}
