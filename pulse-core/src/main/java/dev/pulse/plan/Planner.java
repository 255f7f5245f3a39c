package dev.pulse.plan;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Turns an experiment of a config into its {@link ExperimentPlan}. */
public final class Planner {

    private Planner() {}

    /**
     * Plans {@code experimentName} of {@code config}.
     *
     * @throws PulseException CONFIG_INVALID when a reference the validator should have caught does not
     *                        resolve (an assignment source without assignment columns, a source lacking
     *                        the unit's ID type)
     */
    public static ExperimentPlan plan(PulseConfig config, ExperimentName experimentName) {
        Experiment experiment = lookup(() -> config.experiment(experimentName));
        AssignmentScan assignment = assignmentScan(config, experiment);

        Optional<MappingScan> mapping = experiment.idMapping().map(idMapping -> {
            Source source = lookup(() -> config.source(idMapping.source()));
            return new MappingScan(source.name(), source.relation(), idMapping.idType(), unitColumn(experiment, source),
                    source.idColumn(idMapping.idType()).orElseThrow(() -> invalid("experiment '" + experimentName
                            + "': mapping source '" + source.name() + "' has no column for ID type '"
                            + idMapping.idType() + "'")),
                    source.timestampColumn());
        });
        Map<SourceName, PassBuilder> passes = new LinkedHashMap<>();
        int[] nextId = {0};
        List<MetricColumns> metrics = new ArrayList<>();
        MetricColumnNames names = new MetricColumnNames();
        for (int index = 0; index < experiment.metrics().size(); index++) {
            MetricName metricName = experiment.metrics().get(index);
            Metric metric = lookup(() -> config.metric(metricName));
            int position = index;
            // a switch expression, so that a new family is flagged here
            Optional<MetricColumns> momentColumns = switch (metric.family()) {
                case MOMENTS -> Optional.of(momentColumns(config, experiment, passes, nextId, metric,
                        names.next(metricName, position)));
                case PERCENTILE -> Optional.empty(); // its X needs its group's quantile first: see percentile()
                case FUNNEL -> Optional.empty(); // its per-unit step times need row order: see funnel()
            };
            momentColumns.ifPresent(metrics::add);
        }
        return new ExperimentPlan(
                experimentName,
                assignment,
                experiment.unit(),
                ExposureWindow.ofDays(experiment.start(), experiment.end()),
                experiment.groups().stream().map(Group::name).toList(),
                passes.values().stream().map(PassBuilder::build).toList(),
                metrics,
                experiment.options().prePeriod(),
                experiment.dimensions(),
                mapping,
                experiment.timeseries(),
                experiment.trigger().map(trigger -> {
                    Source source = lookup(() -> config.source(trigger.source()));
                    return new TriggerScan(source.name(), source.relation(), unitColumn(experiment, source),
                            source.timestampColumn(), trigger.filter());
                }),
                experiment.interactions().stream().map(other -> {
                    Experiment interacting = lookup(() -> config.experiment(other));
                    return new InteractionScan(other, assignmentScan(config, interacting),
                            ExposureWindow.ofDays(interacting.start(), interacting.end()),
                            interacting.groups().stream().map(Group::name).toList());
                }).toList());
    }

    /** The scan of {@code experiment}'s assignment source: its rows of the experiment, by the experiment's unit. */
    private static AssignmentScan assignmentScan(PulseConfig config, Experiment experiment) {
        Source assignmentSource = lookup(() -> config.source(experiment.assignment()));
        Source.AssignmentColumns columns = assignmentSource.assignment().orElseThrow(() -> invalid(
                "experiment '" + experiment.name() + "': source '" + assignmentSource.name()
                        + "' is not an assignment source (it names no experiment and group columns)"));
        return new AssignmentScan(
                assignmentSource.name(),
                assignmentSource.relation(),
                unitColumn(experiment, assignmentSource),
                assignmentSource.timestampColumn(),
                columns.experimentColumn(),
                columns.groupColumn(),
                assignmentSource.datePartition());
    }

    /**
     * Plans the statements of percentile metric {@code metricName} of {@code experimentName}: the
     * experiment's units (as in {@link #plan}) and the metric's rows.
     *
     * @throws PulseException CONFIG_INVALID when the metric is not a percentile metric of the experiment,
     *                        or a reference does not resolve
     */
    public static PercentilePlan percentile(PulseConfig config, ExperimentName experimentName, MetricName metricName) {
        ExperimentPlan plan = plan(config, experimentName).withoutInteractions();
        Experiment experiment = lookup(() -> config.experiment(experimentName));
        if (!experiment.metrics().contains(metricName)) {
            throw invalid("experiment '" + experimentName + "' has no metric '" + metricName + "'");
        }
        if (!(lookup(() -> config.metric(metricName)) instanceof Metric.Percentile metric)) {
            throw invalid("metric '" + metricName + "' is not a percentile metric");
        }
        Source source = lookup(() -> config.source(metric.source()));
        Optional<String> mapped = mappedColumn(experiment, source);
        return new PercentilePlan(plan, metricName, source.name(), source.relation(),
                mapped.orElseGet(() -> unitColumn(experiment, source)), source.timestampColumn(),
                new RowExpression(java.util.Optional.of(metric.value()), metric.filter()), metric.percentile(),
                mapped.isPresent());
    }

    /**
     * Plans the statement of funnel metric {@code metricName} of {@code experimentName}: the experiment's
     * units (as in {@link #plan}) and one scan of each distinct step source.
     *
     * @throws PulseException CONFIG_INVALID when the metric is not a funnel metric of the experiment, or a
     *                        reference does not resolve
     */
    public static FunnelPlan funnel(PulseConfig config, ExperimentName experimentName, MetricName metricName) {
        ExperimentPlan plan = plan(config, experimentName).withoutInteractions();
        Experiment experiment = lookup(() -> config.experiment(experimentName));
        if (!experiment.metrics().contains(metricName)) {
            throw invalid("experiment '" + experimentName + "' has no metric '" + metricName + "'");
        }
        if (!(lookup(() -> config.metric(metricName)) instanceof Metric.Funnel metric)) {
            throw invalid("metric '" + metricName + "' is not a funnel metric");
        }
        List<SourceName> names = metric.sources();
        List<FunnelPlan.StepSource> sources = new ArrayList<>();
        for (SourceName name : names) {
            Source source = lookup(() -> config.source(name));
            Optional<String> mapped = mappedColumn(experiment, source);
            sources.add(new FunnelPlan.StepSource(name, source.relation(),
                    mapped.orElseGet(() -> unitColumn(experiment, source)), source.timestampColumn(), mapped.isPresent()));
        }
        List<FunnelPlan.Step> steps = metric.steps().stream()
                .map(step -> new FunnelPlan.Step(step.name(), names.indexOf(step.source()), step.filter())).toList();
        return new FunnelPlan(plan, metricName, sources, steps, metric.windowDays(), metric.windowFrom(),
                metric.ordered(), metric.denominatorKind());
    }

    /** A moment metric's X and Y as aggregate columns of its source's pass, shared with metrics that compute the same. */
    private static MetricColumns momentColumns(PulseConfig config, Experiment experiment,
                                               Map<SourceName, PassBuilder> passes, int[] nextId, Metric metric,
                                               ColumnName name) {
        Optional<MetricWindow> window = metric.options().window();
        int x = column(config, experiment, passes, nextId, metric.numerator(), window,
                MetricColumnNames.aggregate(name, metric.type(), false));
        OptionalInt y = metric.denominator()
                .map(denominator -> OptionalInt.of(column(config, experiment, passes, nextId, denominator, window,
                        MetricColumnNames.aggregate(name, metric.type(), true))))
                .orElse(OptionalInt.empty());
        return new MetricColumns(metric.name(), name, metric.type(), x, y, metric.options().winsorize(), window);
    }

    /** The id of the aggregate column for {@code aggregate}, named {@code aggregateName} when this creates it. */
    private static int column(PulseConfig config, Experiment experiment, Map<SourceName, PassBuilder> passes,
                              int[] nextId, UnitAggregate aggregate, Optional<MetricWindow> window,
                              ColumnName aggregateName) {
        PassBuilder pass = passes.computeIfAbsent(aggregate.source(), name -> {
            Source source = lookup(() -> config.source(name));
            Optional<String> mapped = mappedColumn(experiment, source);
            return new PassBuilder(passes.size(), source, mapped.orElseGet(() -> unitColumn(experiment, source)),
                    mapped.isPresent());
        });
        return pass.add(aggregate, window, nextId, aggregateName);
    }

    /** The source's column for the mapped ID type when it has none for the unit's: its rows go through the mapping. */
    private static Optional<String> mappedColumn(Experiment experiment, Source source) {
        return experiment.idMapping()
                .filter(mapping -> source.idColumn(experiment.unit()).isEmpty())
                .flatMap(mapping -> source.idColumn(mapping.idType()));
    }

    private static String unitColumn(Experiment experiment, Source source) {
        return source.idColumn(experiment.unit()).orElseThrow(() -> invalid(
                "experiment '" + experiment.name() + "': source '" + source.name()
                        + "' has no column for its unit ID type '" + experiment.unit() + "'"));
    }

    private static <T> T lookup(java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static PulseException invalid(String message) {
        return new PulseException(PulseException.Category.CONFIG_INVALID, message);
    }

    /** An aggregate is shared by metrics that compute it over the same window. */
    private record WindowedAggregate(UnitAggregate aggregate, Optional<MetricWindow> window) {}

    /** Collects one source's distinct row expressions and aggregates. */
    private static final class PassBuilder {
        private final int index;
        private final Source source;
        private final String unitColumn;
        private final boolean mapped;
        private final List<RowExpression> expressions = new ArrayList<>();
        private final Map<WindowedAggregate, AggregateColumn> aggregates = new LinkedHashMap<>();

        PassBuilder(int index, Source source, String unitColumn, boolean mapped) {
            this.index = index;
            this.source = source;
            this.unitColumn = unitColumn;
            this.mapped = mapped;
        }

        int add(UnitAggregate aggregate, Optional<MetricWindow> window, int[] nextId, ColumnName name) {
            WindowedAggregate key = new WindowedAggregate(aggregate, window);
            AggregateColumn existing = aggregates.get(key);
            if (existing != null) {
                return existing.id();
            }
            RowExpression expression = new RowExpression(aggregate.value(), aggregate.filter());
            int expressionIndex = expressions.indexOf(expression);
            if (expressionIndex < 0) {
                expressions.add(expression);
                expressionIndex = expressions.size() - 1;
            }
            AggregateColumn column = new AggregateColumn(nextId[0]++, name, expressionIndex, aggregate, window);
            aggregates.put(key, column);
            return column.id();
        }

        SourcePass build() {
            return new SourcePass(index, source.name(), source.relation(), unitColumn, source.timestampColumn(),
                    expressions, List.copyOf(aggregates.values()), mapped, source.datePartition());
        }
    }
}
