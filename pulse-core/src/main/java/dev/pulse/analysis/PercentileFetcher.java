package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.PercentilePlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.RowExpression;
import dev.pulse.sql.BoundStatement;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.PercentileSqlRenderer;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Interval;
import dev.pulse.stats.Percentiles;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the statements of one percentile metric of one experiment and applies the cluster-aware
 * quantile interval of Deng, Knoblich &amp; Lu (KDD 2018, §4; {@link Percentiles}): plan →
 * indicator statement (passes 1 and 2: per group Q̂ and the moments of the per-unit indicator counts)
 * → {@link Percentiles#levels} per group → level-quantiles statement (pass 3) →
 * {@link Percentiles#interval} per group and {@link Percentiles#compare} of each treatment with the
 * control. At most three passes over the metric's source; only a few numbers per group come back.
 * With dimensions, the same two statements return the same per dimension value and group, and each
 * value gets the same statistics over its own units ({@link PercentileData#dimensions}).
 */
public final class PercentileFetcher {

    private PercentileFetcher() {}

    /**
     * The statement of passes 1 and 2 of a percentile metric, for {@code pulse sql} (pass 3 depends
     * on its results).
     */
    public static String sql(PulseConfig config, ExperimentName experiment, MetricName metric) {
        return PercentileSqlRenderer.of(Dialects.forEngine(config.warehouse().engine()))
                .indicatorStatement(Planner.percentile(config, experiment, metric));
    }

    /**
     * The percentile metric {@code metric} of {@code experiment}, per group and against the control.
     *
     * @throws PulseException CONFIG_INVALID when the metric is not a percentile metric of the experiment;
     *                        WAREHOUSE_FAILED naming the experiment and metric (and its value or filter
     *                        when that is what the warehouse rejects); INPUT_INVALID when a quantile is
     *                        NaN or infinite, or the source changed between the statements
     */
    public static PercentileData fetch(PulseConfig config, ExperimentName experiment, MetricName metric,
                                       Warehouse warehouse) {
        PercentilePlan plan = Planner.percentile(config, experiment, metric);
        SourceSetup.prepare(plan.experiment(), warehouse);
        SourceSetup.prepare(plan.source(), plan.relation(), warehouse);
        Experiment settings = config.experiment(experiment);
        double alpha = settings.alpha();
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        PercentileSqlRenderer renderer = PercentileSqlRenderer.of(dialect);

        String indicatorSql = renderer.indicatorStatement(plan);
        // per slice (empty: all units; else one dimension value's units), per group: passes 1 and 2
        Map<Optional<PercentileSqlRenderer.Slice>, Map<String, Pass2>> found = new LinkedHashMap<>();
        found.put(Optional.empty(), new LinkedHashMap<>());
        boolean sliced = plan.experiment().dimensions().any();
        for (QueryResult.Row row : run(plan, dialect, warehouse, indicatorSql).rows()) {
            String group = row.getString(PercentileSqlRenderer.GROUP);
            Optional<PercentileSqlRenderer.Slice> slice = sliced && row.getString(PercentileSqlRenderer.DIMENSION) != null
                    ? Optional.of(new PercentileSqlRenderer.Slice(row.getString(PercentileSqlRenderer.DIMENSION),
                            row.getString(PercentileSqlRenderer.DIMENSION_VALUE)))
                    : Optional.empty();
            found.computeIfAbsent(slice, absent -> new LinkedHashMap<>()).put(group, pass2(plan, row, group, alpha));
        }
        // every slice reports the experiment's groups, as the other metrics' dimension results do
        List<String> names = groupNames(settings, found.get(Optional.empty()));
        for (Map<String, Pass2> groups : found.values()) {
            for (String name : names) {
                groups.computeIfAbsent(name, absent -> new Pass2(0, null, new GroupMoments(0, 0, 0, 0, 0, 0),
                        Percentiles.levels(plan.probability(), new GroupMoments(0, 0, 0, 0, 0, 0), alpha)));
            }
        }

        List<PercentileSqlRenderer.GroupLevels> levels = new ArrayList<>();
        found.forEach((slice, groups) -> {
            for (String name : names) {
                Pass2 group = groups.get(name);
                if (group.quantile() != null && group.levels().lowerLevel() != null) {
                    levels.add(new PercentileSqlRenderer.GroupLevels(slice, name, group.levels().lowerLevel(),
                            group.levels().upperLevel()));
                }
            }
        });
        Optional<String> levelSql = Optional.empty();
        Map<SliceGroup, double[]> bounds = new LinkedHashMap<>();
        if (!levels.isEmpty()) {
            BoundStatement statement = renderer.levelQuantilesStatement(plan, levels);
            levelSql = Optional.of(statement.sql());
            QueryResult.Row row = run(plan, dialect, warehouse, statement).rows().get(0);
            for (int i = 0; i < levels.size(); i++) {
                Double lower = row.getDouble(PercentileSqlRenderer.lowerQuantile(i));
                Double upper = row.getDouble(PercentileSqlRenderer.upperQuantile(i));
                if (lower == null || upper == null) {
                    throw changed(plan, levels.get(i).slice(), levels.get(i).group());
                }
                bounds.put(new SliceGroup(levels.get(i).slice(), levels.get(i).group()), new double[] {lower, upper});
            }
        }

        List<PercentileData.GroupQuantile> overall = List.of();
        List<PercentileData.DimensionQuantiles> dimensions = new ArrayList<>();
        for (Map.Entry<Optional<PercentileSqlRenderer.Slice>, Map<String, Pass2>> entry : found.entrySet()) {
            Optional<PercentileSqlRenderer.Slice> slice = entry.getKey();
            List<PercentileData.GroupQuantile> groups = new ArrayList<>();
            for (String name : names) {
                groups.add(groupQuantile(plan, slice, name, entry.getValue().get(name),
                        bounds.get(new SliceGroup(slice, name)), alpha));
            }
            if (slice.isEmpty()) {
                overall = groups;
            } else {
                dimensions.add(new PercentileData.DimensionQuantiles(slice.get().dimension(), slice.get().value(), groups,
                        comparisons(settings.control(), groups, alpha)));
            }
        }
        return new PercentileData(metric, plan.probability(), alpha, settings.control(), overall,
                comparisons(settings.control(), overall, alpha), indicatorSql, levelSql, dimensions);
    }

    /** One group, over all units or one dimension value's. */
    private record SliceGroup(Optional<PercentileSqlRenderer.Slice> slice, String group) {}

    /** Every group but the control against the control, in {@code groups} order. */
    private static List<PercentileData.QuantileDifference> comparisons(String controlName,
            List<PercentileData.GroupQuantile> groups, double alpha) {
        PercentileData.GroupQuantile control = groups.stream().filter(g -> g.name().equals(controlName))
                .findFirst().orElseThrow();
        return groups.stream().filter(g -> !g.name().equals(controlName))
                .map(group -> difference(control, group, alpha)).toList();
    }

    /** One group's passes 1 and 2: units, records, Q̂, the indicator moments and their levels. */
    private record Pass2(long records, Double quantile, GroupMoments moments, Percentiles.Levels levels) {}

    private static Pass2 pass2(PercentilePlan plan, QueryResult.Row row, String group, double alpha) {
        long units = row.getLong(PercentileSqlRenderer.UNITS);
        long records = row.getLong(PercentileSqlRenderer.RECORDS);
        Double quantile = row.getDouble(PercentileSqlRenderer.QUANTILE);
        if (quantile != null && !Double.isFinite(quantile)) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                    "%s, group '%s': the quantile is %s because the data holds NaN or Infinity values; exclude them"
                            + " with a filter such as \"isfinite(%s)\"", where(plan), group, quantile,
                    plan.value().value().orElseThrow()));
        }
        GroupMoments moments = new GroupMoments(units,
                orZero(row.getDouble(PercentileSqlRenderer.MEAN_X)), orZero(row.getDouble(PercentileSqlRenderer.MEAN_Y)),
                orZero(row.getDouble(PercentileSqlRenderer.VAR_X)), orZero(row.getDouble(PercentileSqlRenderer.VAR_Y)),
                orZero(row.getDouble(PercentileSqlRenderer.COV_XY)));
        return new Pass2(records, quantile, moments, Percentiles.levels(plan.probability(), moments, alpha));
    }

    private static PercentileData.GroupQuantile groupQuantile(PercentilePlan plan,
            Optional<PercentileSqlRenderer.Slice> slice, String name, Pass2 group, double[] bounds, double alpha) {
        List<String> warnings = new ArrayList<>(group.levels().warnings());
        Interval interval;
        if (group.quantile() == null) {
            if (group.moments().n() > 0) {
                warnings.add("group has no rows with a value: no quantile");
            }
            interval = new Interval(null, null, null, null);
        } else {
            try {
                interval = Percentiles.interval(group.quantile(), bounds == null ? null : bounds[0],
                        bounds == null ? null : bounds[1], alpha);
            } catch (IllegalArgumentException e) {
                throw changed(plan, slice, name);
            }
        }
        return new PercentileData.GroupQuantile(name, group.moments().n(), group.records(), group.quantile(),
                group.moments(), group.levels(), interval, warnings);
    }

    private static PercentileData.QuantileDifference difference(PercentileData.GroupQuantile control,
                                                                PercentileData.GroupQuantile treatment, double alpha) {
        List<String> warnings = new ArrayList<>();
        if (control.quantile() == null) {
            warnings.add("control group '" + control.name() + "' has no quantile");
        }
        if (treatment.quantile() == null) {
            warnings.add("group '" + treatment.name() + "' has no quantile");
        }
        Optional<Percentiles.QuantileComparison> statistics = warnings.isEmpty()
                ? Optional.of(Percentiles.compare(control.interval(), treatment.interval(), alpha))
                : Optional.empty();
        return new PercentileData.QuantileDifference(treatment.name(), control.name(), statistics, warnings);
    }

    /** The listed groups, or the control and then the groups found, by name. */
    private static List<String> groupNames(Experiment experiment, Map<String, Pass2> found) {
        if (experiment.groupsListed()) {
            return experiment.groups().stream().map(Group::name).toList();
        }
        List<String> names = new ArrayList<>();
        names.add(experiment.control());
        found.keySet().stream().filter(name -> !name.equals(experiment.control())).sorted().forEach(names::add);
        return names;
    }

    private static QueryResult run(PercentilePlan plan, Dialect dialect, Warehouse warehouse, String sql) {
        return run(plan, dialect, warehouse, new BoundStatement(sql, List.of()));
    }

    private static QueryResult run(PercentilePlan plan, Dialect dialect, Warehouse warehouse, BoundStatement statement) {
        try {
            return statement.parameters().isEmpty() ? warehouse.query(statement.sql())
                    : warehouse.query(statement.sql(), statement.parameters());
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw culprit(plan, dialect, warehouse, e);
        }
    }

    /** Names the metric, and its value or filter when a probe of that alone fails. */
    private static PulseException culprit(PercentilePlan plan, Dialect dialect, Warehouse warehouse, PulseException failure) {
        SqlRenderer probes = SqlRenderer.of(dialect);
        RowExpression expression = plan.value();
        String value = expression.value().orElseThrow();
        Optional<String> problem = probe(warehouse, probes.probeExpression(plan.relation(),
                new RowExpression(expression.value(), Optional.empty())))
                .map(message -> where(plan) + " value '" + value + "': " + message);
        if (problem.isEmpty() && expression.filter().isPresent()) {
            problem = probe(warehouse, probes.probeExpression(plan.relation(),
                    new RowExpression(Optional.empty(), expression.filter())))
                    .map(message -> where(plan) + " filter '" + expression.filter().get() + "': " + message);
        }
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                problem.orElse(where(plan) + ": " + failure.getMessage()), failure);
    }

    private static Optional<String> probe(Warehouse warehouse, String sql) {
        try {
            warehouse.query(sql);
            return Optional.empty();
        } catch (PulseException e) {
            String message = e.getMessage();
            int excerpt = message.indexOf("\n\nLINE ");
            return Optional.of(excerpt < 0 ? message : message.substring(0, excerpt));
        }
    }

    private static PulseException changed(PercentilePlan plan, Optional<PercentileSqlRenderer.Slice> slice,
                                          String group) {
        String units = slice.map(s -> " of " + s.dimension() + " '" + s.value() + "'").orElse("");
        return new PulseException(PulseException.Category.INPUT_INVALID, where(plan) + ", group '" + group + "'" + units
                + ": the level quantiles do not bracket the quantile; did the source change between the statements?");
    }

    private static String where(PercentilePlan plan) {
        return "experiment '" + plan.experiment().experiment() + "', percentile metric '" + plan.metric() + "'";
    }

    /** VAR_SAMP and COVAR_SAMP are NULL for fewer than 2 units. */
    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
