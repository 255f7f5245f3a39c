package dev.pulse.plan;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.model.WarehouseConfig;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds model objects for tests directly in Java (the YAML loader is tested elsewhere). */
public final class TestModel {
    public static final IdType ORG = new IdType("org_id");

    private TestModel() {}

    public static Relation table(String... parts) {
        return new Relation.Table(List.of(parts));
    }

    public static Relation parquet(String location) {
        return new Relation.Files(location, Relation.FileFormat.PARQUET);
    }

    public static Relation csv(String location) {
        return new Relation.Files(location, Relation.FileFormat.CSV);
    }

    public static Relation query(String sql) {
        return new Relation.Query(sql);
    }

    /** An assignment source with columns org, ts, exp_name, variant. */
    public static Source assignment(String name, Relation relation) {
        return new Source(new SourceName(name), relation, "ts", Map.of(ORG, "org"),
                Optional.of(new Source.AssignmentColumns("exp_name", "variant")));
    }

    /** A metric source with columns org and ts. */
    public static Source metricSource(String name, Relation relation) {
        return new Source(new SourceName(name), relation, "ts", Map.of(ORG, "org"), Optional.empty());
    }

    public static Metric sum(String name, String source, String value, String filter) {
        return new Metric.Sum(new MetricName(name), new SourceName(source), value, Optional.ofNullable(filter));
    }

    public static Metric count(String name, String source, String filter) {
        return new Metric.Count(new MetricName(name), new SourceName(source), Optional.ofNullable(filter));
    }

    public static Metric countDistinct(String name, String source, String value, String filter) {
        return new Metric.CountDistinct(new MetricName(name), new SourceName(source), value, Optional.ofNullable(filter));
    }

    public static Metric unitCount(String name, String source, String filter) {
        return new Metric.UnitCount(new MetricName(name), new SourceName(source), Optional.ofNullable(filter));
    }

    public static Metric mean(String name, String source, String value, String filter) {
        return new Metric.Mean(new MetricName(name), new SourceName(source), value, Optional.ofNullable(filter));
    }

    public static Metric percentile(String name, String source, String value, double percentile, String filter) {
        return new Metric.Percentile(new MetricName(name), new SourceName(source), value, percentile, Optional.ofNullable(filter));
    }

    public static Metric ratio(String name, UnitAggregate numerator, UnitAggregate denominator) {
        return new Metric.Ratio(new MetricName(name), numerator, denominator);
    }

    public static UnitAggregate aggregate(String source, AggregateFunction function, String value, String filter) {
        return new UnitAggregate(new SourceName(source), function, Optional.ofNullable(value), Optional.ofNullable(filter));
    }

    /**
     * An org-level experiment on assignment source {@code assignment}.
     *
     * @param groups listed groups with equal shares, or none
     * @param end    inclusive last day, or null
     */
    public static Experiment experiment(String name, String assignment, List<String> groups, String start,
                                        String end, String... metrics) {
        List<Group> listed = groups.stream().map(group -> new Group(group, 1.0 / groups.size())).toList();
        return Experiment.builder().name(new ExperimentName(name)).assignment(new SourceName(assignment)).unit(ORG)
                .control("control").groups(listed).start(LocalDate.parse(start))
                .end(Optional.ofNullable(end).map(LocalDate::parse)).alpha(0.05)
                .metrics(List.of(metrics).stream().map(MetricName::new).toList()).build();
    }

    public static PulseConfig config(List<Source> sources, List<Metric> metrics, List<Experiment> experiments) {
        Map<SourceName, Source> sourceMap = new LinkedHashMap<>();
        sources.forEach(source -> sourceMap.put(source.name(), source));
        Map<MetricName, Metric> metricMap = new LinkedHashMap<>();
        metrics.forEach(metric -> metricMap.put(metric.name(), metric));
        Map<ExperimentName, Experiment> experimentMap = new LinkedHashMap<>();
        experiments.forEach(experiment -> experimentMap.put(experiment.name(), experiment));
        return new PulseConfig(Path.of("/project/pulse.yaml").toAbsolutePath(), WarehouseConfig.inMemoryDuckDb(),
                sourceMap, metricMap, experimentMap);
    }

    /** A funnel over {@code steps}, each {@code {name, source, filter or null}}. */
    public static Metric funnel(String name, Integer windowDays, Metric.Funnel.WindowFrom from, boolean ordered,
                                Metric.Funnel.Denominator denominator, String[]... steps) {
        return new Metric.Funnel(new MetricName(name), java.util.Arrays.stream(steps)
                .map(step -> new Metric.Funnel.Step(step[0], new SourceName(step[1]), Optional.ofNullable(step[2])))
                .toList(), windowDays == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(windowDays),
                from, ordered, denominator, dev.pulse.model.MetricOptions.DEFAULT);
    }
}
