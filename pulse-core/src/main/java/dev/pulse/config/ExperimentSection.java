package dev.pulse.config;

import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Correction;
import dev.pulse.model.Dimensions;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricRole;
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.Source;
import dev.pulse.model.Trigger;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.sqltext.Lexicon;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads {@code experiments:} and checks their references to sources, ID types and metrics. */
final class ExperimentSection {
    static final List<String> KEYS = ConfigSchema.EXPERIMENT.names();
    static final double DEFAULT_ALPHA = 0.05;
    static final int MAX_DIMENSION_VALUES = 1000;
    /** The largest {@code planned_units}: well inside the doubles YAML numbers are read as, exactly. */
    static final long MAX_PLANNED_UNITS = 1_000_000_000_000L;
    private static final double SHARE_TOLERANCE = 1e-6;

    /** A metric the experiment analyses, with the node that named it (or the unit's node when implied). */
    private record MetricUse(Metric metric, Node node, String path) {}

    /** An experiment named under another's {@code interactions}, checked once every experiment is read. */
    private record InteractionUse(ExperimentName experiment, ExperimentName other, Node node, String path) {}

    private final List<InteractionUse> interactionUses = new ArrayList<>();

    private final Problems problems;
    private final SourceSection.Result sources;
    private final MetricSection.Result metrics;
    private final List<Lexicon> lexicons;

    ExperimentSection(Problems problems, SourceSection.Result sources, MetricSection.Result metrics,
                      List<Lexicon> lexicons) {
        this.lexicons = List.copyOf(lexicons);
        this.problems = problems;
        this.sources = sources;
        this.metrics = metrics;
    }

    Map<ExperimentName, Experiment> read(Node node, String path) {
        Map<ExperimentName, Experiment> parsed = new LinkedHashMap<>();
        Nodes.mapping(node, path, problems, "a map of experiment name to experiment").ifPresent(entries -> {
            for (Nodes.Entry entry : entries.values()) {
                String experimentPath = Nodes.child(path, entry.key().getValue());
                Optional<ExperimentName> name = Names.experiment(entry.key(), experimentPath, problems);
                Optional<Experiment> experiment = readExperiment(name, entry.value(), experimentPath);
                if (name.isPresent() && experiment.isPresent()) {
                    parsed.put(name.get(), experiment.get());
                }
            }
        });
        checkInteractions(parsed, entries(node));
        return parsed;
    }

    private static List<String> entries(Node node) {
        List<String> names = new ArrayList<>();
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode mapping) {
            mapping.getValue().forEach(tuple -> {
                if (tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key) {
                    names.add(key.getValue());
                }
            });
        }
        return names;
    }

    /**
     * Each experiment named under {@code interactions} is another experiment of the config on the same unit: its
     * assignments are joined to this one's units by that unit's ID.
     */
    private void checkInteractions(Map<ExperimentName, Experiment> parsed, List<String> declared) {
        for (InteractionUse use : interactionUses) {
            if (use.other().equals(use.experiment())) {
                problems.add(use.node(), use.path(), "an experiment cannot interact with itself (name another"
                        + " experiment of the config that runs on the same units)");
            } else if (!declared.contains(use.other().value())) {
                problems.add(use.node(), use.path(), "unknown experiment '" + use.other() + "'"
                        + Suggestions.hintOrList(use.other().value(), declared));
            } else if (parsed.containsKey(use.experiment()) && parsed.get(use.experiment()).dimensions().columns()
                    .contains(dev.pulse.plan.InteractionScan.LABEL_PREFIX + use.other().value())) {
                problems.add(use.node(), use.path(), "the dimension '" + dev.pulse.plan.InteractionScan.LABEL_PREFIX
                        + use.other() + "' would be reported as this interaction: rename that column in a query source");
            } else if (parsed.containsKey(use.experiment()) && parsed.containsKey(use.other())
                    && !parsed.get(use.other()).unit().equals(parsed.get(use.experiment()).unit())) {
                problems.add(use.node(), use.path(), "experiment '" + use.other() + "' is randomized by '"
                        + parsed.get(use.other()).unit() + "', this one by '" + parsed.get(use.experiment()).unit()
                        + "': interactions need the same unit (its assignments are matched unit by unit)");
            }
        }
    }

    /** {@code interactions: [other_experiment, …]}: names, each once; resolved by {@link #checkInteractions}. */
    private List<ExperimentName> interactions(Fields fields, Optional<ExperimentName> name) {
        List<ExperimentName> names = new ArrayList<>();
        fields.value("interactions").ifPresent(node -> {
            String path = fields.path("interactions");
            Optional<List<Node>> items = fields.check(Nodes.sequence(node, path, problems,
                    "a list of other experiments of this config on the same unit, such as [checkout_v2]"));
            for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
                Node item = items.get().get(i);
                String itemPath = Nodes.index(path, i);
                Optional<ExperimentName> other = fields.check(Names.experiment(item, itemPath, problems));
                if (other.isEmpty()) {
                    continue;
                }
                if (names.contains(other.get())) {
                    problems.add(item, itemPath, "experiment '" + other.get() + "' is listed twice");
                    fields.fail();
                } else {
                    if (name.isEmpty() || !name.get().equals(other.get())) {
                        names.add(other.get()); // itself: reported by checkInteractions
                    }
                    name.ifPresent(own -> interactionUses.add(new InteractionUse(own, other.get(), item, itemPath)));
                }
            }
        });
        return names;
    }

    private Optional<Experiment> readExperiment(Optional<ExperimentName> name, Node node, String path) {
        Optional<Fields> read = Fields.read(node, path, problems, KEYS,
                "a map with assignment, unit, control, start and metrics");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<Source> assignment = assignment(fields);
        Optional<IdType> unit = unit(fields, assignment);
        Optional<String> control = fields.requiredText("control", "the control group's name");
        Optional<List<Group>> groups = groups(fields);
        if (control.isPresent() && groups.isPresent() && !groups.get().isEmpty()) {
            List<String> names = groups.get().stream().map(Group::name).toList();
            if (!names.contains(control.get())) {
                fields.problemAt("control", "control '" + control.get() + "' is not among the groups ("
                        + String.join(", ", names) + ")" + Suggestions.hint(control.get(), names));
            }
        }
        Optional<LocalDate> start = fields.requiredDate("start", "the first day, such as 2026-03-01");
        Optional<LocalDate> end = fields.optionalDate("end");
        if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
            fields.problemAt("end", "start " + start.get() + " is after end " + end.get());
        }
        double alpha = fields.optionalNumber("alpha", "a number between 0 and 1, such as 0.05").orElse(DEFAULT_ALPHA);
        if (!(alpha > 0 && alpha < 1)) {
            fields.problemAt("alpha", "alpha must be between 0 and 1 (exclusive), got "
                    + Nodes.describe(fields.value("alpha").orElseThrow()).replace("'", ""));
        }
        List<MetricUse> uses = metrics(fields);
        Optional<IdMapping> idMapping = new IdMappingSection(problems, sources).read(fields, unit);
        boolean timeseries = timeseries(fields, start, end);
        java.util.OptionalLong plannedUnits = plannedUnits(fields);
        Optional<Trigger> trigger = new TriggerSection(problems, sources, lexicons).read(fields, unit);
        if (!fields.has("id_mapping") || idMapping.isPresent()) {
            // a mapping that failed is reported once; the sources it would have mapped are not blamed too
            unit.ifPresent(u -> uses.forEach(use -> checkUnit(fields, use, u, idMapping)));
        }
        if (end.isEmpty() && !fields.has("end")) {
            uses.forEach(use -> checkWindowHasEnd(fields, use));
        }
        Optional<Dimensions> dimensions = dimensions(fields);
        List<ExperimentName> interactions = interactions(fields, name);
        Map<MetricName, MetricRole> roles = roles(fields, uses);
        Optional<AnalysisOptions> options = new OptionsSection(problems).experiment(fields,
                uses.stream().map(MetricUse::metric).toList(), dimensions.map(Dimensions::columns).orElse(List.of()));
        options.flatMap(AnalysisOptions::plannedLooks).ifPresent(looks -> checkLooks(fields, looks, start, end));
        if (fields.failed() || options.isEmpty() || name.isEmpty() || assignment.isEmpty() || unit.isEmpty() || control.isEmpty()
                || groups.isEmpty() || start.isEmpty() || uses.isEmpty() || dimensions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Experiment.builder().name(name.get()).assignment(assignment.get().name()).unit(unit.get())
                .control(control.get()).groups(groups.get()).start(start.get()).end(end).alpha(alpha)
                .metrics(uses.stream().map(use -> use.metric().name()).toList()).options(options.get())
                .dimensions(dimensions.get()).timeseries(timeseries).idMapping(idMapping).trigger(trigger)
                .interactions(interactions).roles(roles).plannedUnits(plannedUnits).build());
    }

    /**
     * {@code roles: {revenue: primary, latency: guardrail}}: each named metric's role in this experiment, over the
     * metric's own {@code role}. A metric with neither is {@code secondary} when some metric is {@code primary}, else
     * {@code primary} (an experiment that names no primary metric is decided on all of them).
     */
    private Map<MetricName, MetricRole> roles(Fields fields, List<MetricUse> uses) {
        Map<MetricName, MetricRole> given = new LinkedHashMap<>();
        uses.forEach(use -> use.metric().options().role().ifPresent(role -> given.put(use.metric().name(), role)));
        fields.value("roles").ifPresent(node -> {
            String path = fields.path("roles");
            List<String> names = uses.stream().map(use -> use.metric().name().value()).toList();
            List<String> roleNames = java.util.Arrays.stream(MetricRole.values()).map(MetricRole::configName).toList();
            Optional<Map<String, Nodes.Entry>> entries = fields.check(Nodes.mapping(node, path, problems,
                    "a map of the experiment's metrics to primary, secondary or guardrail, such as {revenue: primary}"));
            for (Nodes.Entry entry : entries.map(Map::values).orElse(List.of())) {
                String metric = entry.key().getValue();
                String entryPath = Nodes.child(path, metric);
                if (!names.contains(metric)) {
                    problems.add(entry.key(), entryPath, "'" + Nodes.shortened(metric) + "' is not one of the"
                            + " experiment's metrics " + names + Suggestions.hint(metric, names));
                    fields.fail();
                    continue;
                }
                Optional<String> role = fields.check(Nodes.text(entry.value(), entryPath, problems,
                        "primary, secondary or guardrail"));
                Optional<MetricRole> found = role.flatMap(r -> java.util.Arrays.stream(MetricRole.values())
                        .filter(candidate -> candidate.configName().equals(r)).findFirst());
                if (role.isPresent() && found.isEmpty()) {
                    problems.add(entry.value(), entryPath, "unknown role '" + Nodes.shortened(role.get()) + "'"
                            + Suggestions.hintOrList(role.get(), roleNames));
                    fields.fail();
                }
                found.ifPresent(r -> given.put(new MetricName(metric), r));
            }
        });
        return given; // the experiment gives the others theirs (Experiment#roles)
    }

    /**
     * Planned looks need the end date (which look an analysis is comes from it) and dates from the start on.
     */
    private static void checkLooks(Fields fields, PlannedLooks looks, Optional<LocalDate> start, Optional<LocalDate> end) {
        if (end.isEmpty() && !fields.has("end")) {
            fields.problemAt("planned_looks", "planned looks need the experiment's end date: an analysis is the look"
                    + " whose date equals end (add end:, the date of the look you are analysing)");
        }
        if (start.isPresent() && looks.dates().get(0).isBefore(start.get())) {
            fields.problemAt("planned_looks", "the first planned look " + looks.dates().get(0)
                    + " is before start " + start.get() + " (a look's data run from start through its date)");
        }
    }

    /**
     * {@code planned_units: 12000}: the units the experiment plans to count over every group, for the report's
     * progress bar and the minimum detectable effect at the plan (docs/report.md#health).
     */
    private java.util.OptionalLong plannedUnits(Fields fields) {
        Optional<Double> value = fields.optionalNumber("planned_units", "a whole number of units, such as 12000");
        if (value.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        double number = value.get();
        if (number != Math.rint(number) || number < 2 || number > MAX_PLANNED_UNITS) {
            fields.problemAt("planned_units", "planned_units must be a whole number from 2 to " + MAX_PLANNED_UNITS
                    + ", got " + BigDecimal.valueOf(number).stripTrailingZeros().toPlainString()
                    + " (the units the experiment plans to count over every group, such as 12000)");
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of((long) number);
    }

    /**
     * {@code dimensions: [country, platform]}: distinct column names of the assignment source (whether
     * they exist is the warehouse's to say), and {@code dimension_values}: how many values of each are
     * reported on their own.
     */
    private Optional<Dimensions> dimensions(Fields fields) {
        List<String> columns = new ArrayList<>();
        fields.value("dimensions").ifPresent(node -> {
            String path = fields.path("dimensions");
            Optional<List<Node>> items = fields.check(Nodes.sequence(node, path, problems,
                    "a list of columns of the assignment source, such as [country, platform]"));
            for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
                Node item = items.get().get(i);
                String itemPath = Nodes.index(path, i);
                Optional<String> column = fields.check(Nodes.text(item, itemPath, problems, "a column name"));
                if (column.isPresent() && column.get().isBlank()) {
                    problems.add(item, itemPath, "a dimension needs a column name");
                    fields.fail();
                } else if (column.isPresent() && columns.contains(column.get())) {
                    problems.add(item, itemPath, "dimension '" + column.get() + "' is listed twice");
                    fields.fail();
                } else {
                    column.ifPresent(columns::add);
                }
            }
        });
        int top = Dimensions.DEFAULT_TOP_VALUES;
        Optional<Double> values = fields.optionalNumber("dimension_values", "a whole number of values, such as 10");
        if (values.isPresent()) {
            double number = values.get();
            if (number != Math.rint(number) || number < 1 || number > MAX_DIMENSION_VALUES) {
                fields.problemAt("dimension_values", "dimension_values must be a whole number from 1 to "
                        + MAX_DIMENSION_VALUES + ", got " + BigDecimal.valueOf(number).stripTrailingZeros().toPlainString());
            } else {
                top = (int) number;
            }
            if (!fields.has("dimensions")) {
                fields.problemAt("dimension_values", "dimension_values needs dimensions (add dimensions: [column, …],"
                        + " or remove dimension_values)");
            }
        }
        Correction correction = Dimensions.DEFAULT_HETEROGENEITY_CORRECTION;
        List<Correction> corrections = ConfigSchema.HETEROGENEITY_CORRECTIONS;
        List<String> names = corrections.stream().map(Correction::configName).toList();
        Optional<String> named = fields.optionalText("heterogeneity_correction", String.join(" or ", names));
        if (named.isPresent()) {
            Optional<Correction> found = corrections.stream().filter(c -> c.configName().equals(named.get())).findFirst();
            if (found.isPresent()) {
                correction = found.get();
            } else {
                fields.problemAt("heterogeneity_correction", "unknown heterogeneity_correction '" + named.get() + "'"
                        + (named.get().equals(Correction.NONE.configName())
                        ? ": each value's effect against the rest's is tested for every value of a dimension, so the"
                        + " tests need a correction across values; use one of " + String.join(", ", names)
                        : Suggestions.hintOrList(named.get(), names)));
            }
            if (!fields.has("dimensions") && !fields.has("interactions")) {
                fields.problemAt("heterogeneity_correction", "heterogeneity_correction needs dimensions or"
                        + " interactions (add dimensions: [column, …], or remove heterogeneity_correction)");
            }
        }
        Optional<String> postStratify = fields.optionalText("post_stratify", "a column listed in dimensions, such as country");
        if (postStratify.isPresent() && !columns.contains(postStratify.get()) && !fields.failed()) {
            fields.problemAt("post_stratify", "post_stratify '" + postStratify.get() + "' is not one of the experiment's"
                    + " dimensions" + (columns.isEmpty() ? " (add dimensions: [" + postStratify.get() + "])"
                    : " " + columns + dev.pulse.config.Suggestions.hint(postStratify.get(), columns)));
        }
        if (fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Dimensions(columns, top, postStratify, correction));
    }

    /**
     * {@code timeseries: true}: cumulative daily results, which need the experiment's end, at most
     * {@link ConfigLimits#MAX_DAILY_RESULTS_DAYS} days after its start (each day is a row per group of the
     * statement's result and a point per comparison of the output).
     */
    private boolean timeseries(Fields fields, Optional<LocalDate> start, Optional<LocalDate> end) {
        Optional<String> text = fields.optionalText("timeseries", "true or false");
        if (text.isEmpty()) {
            return false;
        }
        if (!text.get().equals("true") && !text.get().equals("false")) {
            fields.problemAt("timeseries", "expected true or false, got '" + text.get() + "'");
            return false;
        }
        boolean daily = text.get().equals("true");
        if (daily && end.isEmpty() && !fields.has("end")) {
            fields.problemAt("timeseries", "daily results need the experiment's end date (add end:, the last day of"
                    + " the series)");
        }
        if (daily && start.isPresent() && end.isPresent()) {
            long days = java.time.temporal.ChronoUnit.DAYS.between(start.get(), end.get()) + 1;
            if (days > ConfigLimits.MAX_DAILY_RESULTS_DAYS) {
                fields.problemAt("timeseries", "daily results cover at most " + ConfigLimits.MAX_DAILY_RESULTS_DAYS
                        + " days, and " + start.get() + " to " + end.get() + " is " + days + " days (analyse a shorter"
                        + " experiment, or set timeseries: false)");
            }
        }
        return daily;
    }

    private Optional<Source> assignment(Fields fields) {
        Optional<String> name = fields.requiredText("assignment", "the source that says which unit saw which group");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!sources.complete()) {
            fields.fail();
            return Optional.empty();
        }
        if (!sources.declared().contains(name.get())) {
            fields.problemAt("assignment", "unknown source '" + name.get() + "'"
                    + Suggestions.hintOrList(name.get(), sources.declared()));
            return Optional.empty();
        }
        Optional<Source> source = parsedSource(name.get());
        if (source.isPresent() && source.get().assignment().isEmpty()) {
            fields.problemAt("assignment", "source '" + name.get() + "' is not an assignment source (give it 'experiment'"
                    + " and 'group' columns: sources." + name.get() + ".experiment and sources." + name.get() + ".group)");
        }
        return source;
    }

    private Optional<IdType> unit(Fields fields, Optional<Source> assignment) {
        Optional<IdType> unit = fields.requiredText("unit", "the ID type that was randomized, such as user_id")
                .flatMap(u -> fields.check(Names.idType(fields.value("unit").orElseThrow(), fields.path("unit"), problems)));
        if (unit.isEmpty()) {
            return unit;
        }
        Set<String> known = sources.idTypes();
        String id = unit.get().value();
        if (sources.complete() && !known.contains(id)) {
            fields.problemAt("unit", "unknown ID type '" + id + "'" + Suggestions.hintOrList(id, known));
            return Optional.empty();
        }
        if (assignment.isPresent() && assignment.get().idColumn(unit.get()).isEmpty()) {
            Source source = assignment.get();
            fields.problemAt("unit", "assignment source '" + source.name() + "' has no column for ID type '" + id
                    + "' (its ids: " + idList(source) + "; add " + id + " to sources." + source.name() + ".ids)");
        }
        return unit;
    }

    private Optional<List<Group>> groups(Fields fields) {
        Optional<Node> node = fields.value("groups");
        if (node.isEmpty()) {
            return Optional.of(List.of());
        }
        String path = fields.path("groups");
        if (node.get() instanceof MappingNode) {
            return shares(fields, node.get(), path);
        }
        if (node.get() instanceof SequenceNode sequence) {
            Set<String> names = new LinkedHashSet<>();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                String itemPath = Nodes.index(path, i);
                Optional<String> group = fields.check(Nodes.text(items.get(i), itemPath, problems, "a group name"));
                if (group.isPresent() && !names.add(group.get())) {
                    problems.add(items.get(i), itemPath, "group '" + group.get() + "' is listed twice");
                    fields.fail();
                }
            }
            if (items.isEmpty()) {
                fields.problemAt("groups", "groups is empty (list the groups, or omit groups to find them in the data)");
            }
            if (fields.failed()) {
                return Optional.empty();
            }
            double share = 1.0 / names.size();
            return Optional.of(names.stream().map(n -> new Group(n, share)).toList());
        }
        fields.problemAt("groups", "expected a map of group to expected share, such as {control: 0.5, treatment: 0.5},"
                + " or a list of groups, got " + Nodes.describe(node.get()));
        return Optional.empty();
    }

    private Optional<List<Group>> shares(Fields fields, Node node, String path) {
        Map<String, Nodes.Entry> entries = Nodes.mapping(node, path, problems, "a map").orElseThrow();
        if (entries.isEmpty()) {
            fields.problemAt("groups", "groups is empty (list the groups, or omit groups to find them in the data)");
            return Optional.empty();
        }
        List<Group> groups = new ArrayList<>();
        boolean failed = false;
        double sum = 0;
        for (Nodes.Entry entry : entries.values()) {
            String group = entry.key().getValue();
            String groupPath = Nodes.child(path, group);
            Optional<Double> share = Nodes.number(entry.value(), groupPath, problems, "the group's expected share, such as 0.5");
            if (group.isEmpty()) {
                problems.add(entry.key(), groupPath, "a group needs a name");
                failed = true;
            } else if (share.isEmpty()) {
                failed = true;
            } else if (!(share.get() > 0 && share.get() <= 1)) {
                problems.add(entry.value(), groupPath, "a group's share must be more than 0 and at most 1, got " + share.get());
                failed = true;
            } else {
                sum += share.get();
                groups.add(new Group(group, share.get()));
            }
        }
        if (!failed && Math.abs(sum - 1) > SHARE_TOLERANCE) {
            fields.problemAt("groups", "group shares sum to "
                    + BigDecimal.valueOf(sum).round(new MathContext(10)).stripTrailingZeros().toPlainString()
                    + ", not 1");
            failed = true;
        }
        if (failed) {
            fields.fail();
            return Optional.empty();
        }
        return Optional.of(groups);
    }

    private List<MetricUse> metrics(Fields fields) {
        List<MetricUse> uses = new ArrayList<>();
        Optional<Node> node = fields.value("metrics");
        if (node.isEmpty()) {
            Node unitNode = fields.value("unit").orElse(fields.node());
            String unitPath = fields.has("unit") ? fields.path("unit") : fields.path();
            metrics.parsed().values().forEach(m -> uses.add(new MetricUse(m, unitNode, unitPath)));
            if (metrics.complete() && metrics.declared().isEmpty()) {
                fields.problem("no metrics to analyse (define metrics, or list them in metrics)");
            }
            return uses;
        }
        String path = fields.path("metrics");
        Optional<List<Node>> items = fields.check(Nodes.sequence(node.get(), path, problems, "a list of metric names"));
        if (items.isEmpty()) {
            return uses;
        }
        if (items.get().isEmpty()) {
            fields.problemAt("metrics", "metrics is empty (list metric names, or omit metrics to analyse every metric)");
            return uses;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < items.get().size(); i++) {
            Node item = items.get().get(i);
            String itemPath = Nodes.index(path, i);
            Optional<String> name = fields.check(Nodes.text(item, itemPath, problems, "a metric name"));
            if (name.isEmpty()) {
                continue;
            }
            if (!seen.add(name.get())) {
                problems.add(item, itemPath, "metric '" + name.get() + "' is listed twice");
                fields.fail();
            } else if (!metrics.complete()) {
                fields.fail();
            } else if (!metrics.declared().contains(name.get())) {
                problems.add(item, itemPath, "unknown metric '" + name.get() + "'"
                        + Suggestions.hintOrList(name.get(), metrics.declared()));
                fields.fail();
            } else {
                metrics.parsed().values().stream()
                        .filter(m -> m.name().value().equals(name.get()))
                        .findFirst()
                        .ifPresentOrElse(m -> uses.add(new MetricUse(m, item, itemPath)), fields::fail);
            }
        }
        return uses;
    }

    /**
     * Every source a metric reads must carry the experiment's unit, or else the ID type of its
     * {@code id_mapping}.
     */
    private void checkUnit(Fields fields, MetricUse use, IdType unit, Optional<IdMapping> idMapping) {
        for (SourceName sourceName : use.metric().sources()) {
            Source source = sources.parsed().get(sourceName);
            if (source == null || source.idColumn(unit).isPresent()) {
                continue;
            }
            Optional<IdType> mapped = idMapping.map(IdMapping::idType).filter(id -> source.idColumn(id).isPresent());
            if (mapped.isEmpty()) {
                String ids = idMapping.map(m -> "ID type '" + unit + "' nor for the mapped ID type '" + m.idType() + "'")
                        .orElse("ID type '" + unit + "'");
                String add = idMapping.map(m -> "add " + unit + " or " + m.idType() + " to sources." + sourceName + ".ids")
                        .orElse("add " + unit + " to sources." + sourceName + ".ids");
                problems.add(use.node(), use.path(), "metric '" + use.metric().name() + "' reads source '" + sourceName
                        + "', which has no column for " + ids + " (its ids: " + idList(source) + "; " + add + ")");
                fields.fail();
            }
        }
    }

    /**
     * A windowed metric needs the experiment's end: whether a unit's window has closed must not
     * depend on when the analysis runs. So does a participation metric: its Y counts days to the end.
     */
    private void checkWindowHasEnd(Fields fields, MetricUse use) {
        if (use.metric().options().window().isPresent()) {
            problems.add(use.node(), use.path(), "metric '" + use.metric().name() + "' has a window, which needs the"
                    + " experiment's end date (add end: so that units whose window has not closed by then are"
                    + " excluded the same way on every run)");
            fields.fail();
        }
        if (use.metric() instanceof dev.pulse.model.Metric.Participation) {
            problems.add(use.node(), use.path(), "metric '" + use.metric().name() + "' is a participation metric, whose"
                    + " days in the experiment run to its end date (add end:, the experiment's last day)");
            fields.fail();
        }
    }

    private Optional<Source> parsedSource(String name) {
        return sources.parsed().values().stream().filter(s -> s.name().value().equals(name)).findFirst();
    }

    private static String idList(Source source) {
        return source.idColumns().keySet().stream().map(IdType::value).collect(Collectors.joining(", "));
    }
}
