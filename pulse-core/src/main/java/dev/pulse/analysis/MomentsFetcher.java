package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.plan.AssignmentScan;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.Planner;
import dev.pulse.plan.RowExpression;
import dev.pulse.plan.SourcePass;
import dev.pulse.sql.ResultColumns;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.JointMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one experiment's statement and brings back its per-group moments: plan → SQL → warehouse →
 * {@link ExperimentData}. When the statement fails, probes the sources and metric expressions it
 * touches to name the culprit.
 */
public final class MomentsFetcher {

    private MomentsFetcher() {}

    /** The statement {@code pulse sql} prints: the experiment's SQL in its config's warehouse dialect. */
    public static String sql(PulseConfig config, ExperimentName experiment) {
        return SqlRenderer.of(Dialects.forEngine(config.warehouse().engine())).render(Planner.plan(config, experiment));
    }

    /**
     * Computes the moments of every metric of {@code experiment} per group, in one statement on
     * {@code warehouse}. Sample variances and covariances of a group with fewer than 2 units come back
     * as 0 ({@link GroupMoments} keeps {@code n} to tell).
     *
     * @throws PulseException WAREHOUSE_FAILED naming the failing source or metric expression when the
     *                        warehouse rejects the statement
     */
    public static ExperimentData fetch(PulseConfig config, ExperimentName experiment, Warehouse warehouse) {
        ExperimentPlan plan = Planner.plan(config, experiment);
        SourceSetup.prepare(plan, warehouse);
        SqlRenderer renderer = SqlRenderer.of(Dialects.forEngine(warehouse.engine()));
        String sql = renderer.render(plan);
        QueryResult result;
        try {
            result = warehouse.query(sql);
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw culprit(config, plan, renderer, warehouse, e);
        }
        return toData(plan, result, sql);
    }

    static ExperimentData toData(ExperimentPlan plan, QueryResult result, String sql) {
        Slice overall = new Slice(plan);
        Map<List<String>, Slice> slices = new LinkedHashMap<>();
        Map<MetricName, Long> windowOpen = new LinkedHashMap<>();
        plan.metrics().stream().filter(metric -> metric.window().isPresent())
                .forEach(metric -> windowOpen.put(metric.metric(), 0L));
        long multipleGroups = 0;
        long unknownGroup = 0;
        long notTriggered = 0;
        java.util.Optional<IdResolution> idResolution = java.util.Optional.empty();
        List<Slice> days = new ArrayList<>();
        List<Slice> exposureDays = new ArrayList<>();
        if (plan.timeseries()) {
            for (int d = 0; d < plan.window().days(); d++) {
                days.add(new Slice(plan, plan.seriesMetrics()));
                exposureDays.add(new Slice(plan, plan.seriesMetrics()));
            }
        }
        // a non-finite value makes every group's shifted moments NaN (the pilot is pooled): name the group
        // whose own values hold it, from the plain means, before any shifted moment is looked at
        for (QueryResult.Row row : result.rows()) {
            String group = row.getString(ResultColumns.GROUP);
            if (group != null && !seriesRow(plan, row)) {
                for (MetricColumns metric : plan.metrics()) {
                    requireFinite(plan, metric, group, orZero(row.getDouble(ResultColumns.rawMeanX(metric))));
                }
            }
        }
        for (QueryResult.Row row : result.rows()) {
            if (plan.timeseries() && row.get(ResultColumns.DAY) != null) {
                // a row of the daily results: cumulative moments of the series metrics as of that day
                days.get((int) row.getLong(ResultColumns.DAY)).add(plan, row, row.getString(ResultColumns.GROUP), new LinkedHashMap<>());
                continue;
            }
            if (plan.timeseries() && row.get(ResultColumns.DAYS_SINCE_EXPOSURE) != null) {
                // a row of the days-since-exposure series: moments of the units' values through their day k
                exposureDays.get((int) row.getLong(ResultColumns.DAYS_SINCE_EXPOSURE))
                        .add(plan, row, row.getString(ResultColumns.GROUP), new LinkedHashMap<>());
                continue;
            }
            multipleGroups = row.getLong(ResultColumns.EXCLUDED_MULTIPLE_GROUPS);
            unknownGroup = row.getLong(ResultColumns.EXCLUDED_UNKNOWN_GROUP);
            notTriggered = plan.triggered() ? row.getLong(ResultColumns.EXCLUDED_NOT_TRIGGERED) : 0;
            idResolution = plan.idMapping().map(mapping -> new IdResolution(mapping.source().value(),
                    mapping.idType().value(), row.getLong(ResultColumns.EXCLUDED_CONFLICTING_IDS),
                    row.getLong(ResultColumns.EXCLUDED_CONFLICTING_ROWS), row.getLong(ResultColumns.EXCLUDED_UNMAPPED_ROWS),
                    row.getLong(ResultColumns.UNITS_WITHOUT_IDS)));
            String group = row.getString(ResultColumns.GROUP);
            if (group == null) {
                continue; // no counted unit at all: the one row carries only the exclusions
            }
            String dimension = plan.brokenDown() ? row.getString(ResultColumns.DIMENSION) : null;
            if (dimension == null) {
                overall.add(plan, row, group, windowOpen);
            } else {
                String value = row.getString(ResultColumns.DIMENSION_VALUE);
                Slice slice = slices.computeIfAbsent(List.of(dimension, value), key -> new Slice(plan));
                slice.add(plan, row, group, slice.windowOpen);
            }
        }
        List<DimensionData> dimensions = new ArrayList<>();
        slices.forEach((key, slice) -> dimensions.add(
                new DimensionData(key.get(0), key.get(1), slice.units, slice.moments, slice.covariates,
                        slice.windowOpen)));
        java.time.LocalDate start = java.time.LocalDate.ofInstant(plan.window().start(), java.time.ZoneOffset.UTC);
        List<DailyMoments> timeseries = new ArrayList<>();
        for (int d = 0; d < days.size(); d++) {
            timeseries.add(new DailyMoments(start.plusDays(d), days.get(d).units, days.get(d).moments));
        }
        List<ExposureDayMoments> sinceExposure = new ArrayList<>();
        for (int k = 0; k < exposureDays.size(); k++) {
            sinceExposure.add(new ExposureDayMoments(k, exposureDays.get(k).units, exposureDays.get(k).moments));
        }
        List<DimensionData> ordered = DimensionData.ordered(plan.dimensions().columns(), dimensions);
        return new ExperimentData(overall.units, overall.moments, multipleGroups, unknownGroup, sql, overall.covariates,
                windowOpen, ordered, idResolution, timeseries, notTriggered, overall.covariateSets(plan, ordered),
                sinceExposure);
    }

    /** Whether {@code row} is a row of one of the daily series (by calendar day or by days since exposure). */
    private static boolean seriesRow(ExperimentPlan plan, QueryResult.Row row) {
        return plan.timeseries()
                && (row.get(ResultColumns.DAY) != null || row.get(ResultColumns.DAYS_SINCE_EXPOSURE) != null);
    }

    /**
     * The per-group moments of some metrics over one set of units: of every metric over all units or one
     * dimension value's, or of the series metrics as of one day.
     */
    private static final class Slice {
        final List<Integer> metrics;
        final Map<String, Long> units = new LinkedHashMap<>();
        final Map<MetricName, Map<String, GroupMoments>> moments = new LinkedHashMap<>();
        final Map<MetricName, Map<String, CovariateMoments>> covariates = new LinkedHashMap<>();
        /** Under several CUPED covariates, per group the cross covariances by column name. */
        final Map<String, Map<String, Double>> crossCovariances = new LinkedHashMap<>();
        /** Of a dimension value's slice: per windowed metric, its units left out because their window is open. */
        final Map<MetricName, Long> windowOpen = new LinkedHashMap<>();

        Slice(ExperimentPlan plan) {
            this(plan, java.util.stream.IntStream.range(0, plan.metrics().size()).boxed().toList());
            if (plan.cuped().isPresent()) {
                plan.metrics().forEach(metric -> covariates.put(metric.metric(), new LinkedHashMap<>()));
            }
            plan.metrics().stream().filter(metric -> metric.window().isPresent())
                    .forEach(metric -> windowOpen.put(metric.metric(), 0L));
        }

        /**
         * Under several CUPED covariates, each adjusted metric's {@link CovariateSet}: the joint moments of its
         * (X, Y) and the pre-period (X₀, Y₀) of each of its covariates ({@link ExperimentPlan#covariatesOf}), from the
         * columns of every metric's CUPED moments and the cross covariances ({@link ResultColumns#crossCovariances}).
         */
        Map<MetricName, CovariateSet> covariateSets(ExperimentPlan plan, List<DimensionData> dimensions) {
            Map<MetricName, CovariateSet> sets = new LinkedHashMap<>();
            // each attribute's values but the first (most units), whose indicators are covariates
            List<DimensionData> levels = new ArrayList<>();
            for (String attribute : plan.cuped().map(dev.pulse.model.Cuped::attributes).orElse(List.of())) {
                List<DimensionData> values = dimensions.stream().filter(d -> d.dimension().equals(attribute)).toList();
                levels.addAll(values.subList(Math.min(1, values.size()), values.size()));
            }
            for (int i = 0; i < plan.metrics().size(); i++) {
                List<Integer> of = plan.covariatesOf(i);
                if (of.isEmpty()) {
                    continue;
                }
                MetricName metric = plan.metrics().get(i).metric();
                Map<String, JointMoments> groups = new LinkedHashMap<>();
                for (Map.Entry<String, CovariateMoments> group : covariates.get(metric).entrySet()) {
                    groups.put(group.getKey(), joint(plan, i, of, levels, group.getKey()));
                }
                List<String> names = new ArrayList<>(of.stream().map(j -> plan.metrics().get(j).metric().value()).toList());
                levels.forEach(level -> names.add(level.dimension() + "=" + level.value()));
                sets.put(metric, new CovariateSet(names, groups));
            }
            return sets;
        }

        // variable 0: metric i's (X, Y); variable k + 1: the pre-period of covariate of.get(k); then one indicator
        // (Y ≡ 1) per attribute level, whose moments and covariances follow from the levels' counts and means
        private JointMoments joint(ExperimentPlan plan, int i, List<Integer> of, List<DimensionData> levels,
                                   String group) {
            CovariateMoments own = covariates.get(plan.metrics().get(i).metric()).get(group);
            List<GroupMoments> variables = new ArrayList<>(List.of(own.post()));
            for (int j : of) {
                variables.add(covariates.get(plan.metrics().get(j).metric()).get(group).pre());
            }
            int continuous = variables.size();
            long n = own.post().n();
            for (DimensionData level : levels) {
                double share = n == 0 ? 0.0 : (double) level.units().getOrDefault(group, 0L) / n;
                variables.add(GroupMoments.ofUnitDenominator(n, share, n < 2 ? 0.0 : n * share * (1 - share) / (n - 1)));
            }
            JointMoments.Builder builder = JointMoments.builder(variables);
            for (int a = 0; a < levels.size(); a++) {
                DimensionData level = levels.get(a);
                long inLevel = level.units().getOrDefault(group, 0L);
                if (n < 2 || inLevel == 0) {
                    continue;
                }
                // cov(V, D) = n_l (v̄_l − v̄) / (n − 1) for each component V, from the level's means
                for (int v = 0; v < continuous; v++) {
                    GroupMoments whole = variables.get(v);
                    GroupMoments part = v == 0 ? level.moments().get(plan.metrics().get(i).metric()).get(group)
                            : level.covariates().get(plan.metrics().get(of.get(v - 1)).metric()).get(group).pre();
                    part = part.withShift(whole.shift());
                    builder.cross(v, continuous + a, inLevel * (part.meanX() - whole.meanX()) / (n - 1), 0.0,
                            inLevel * (part.meanY() - whole.meanY()) / (n - 1), 0.0);
                }
                // cov(D_a, D_b) = −n p_a p_b / (n − 1)
                for (int b = a + 1; b < levels.size(); b++) {
                    double other = (double) levels.get(b).units().getOrDefault(group, 0L) / n;
                    builder.cross(continuous + a, continuous + b,
                            -n * variables.get(continuous + a).meanX() * other / (n - 1), 0.0, 0.0, 0.0);
                }
            }
            builder.cross(0, 1, own.covXX0(), own.covXY0(), own.covYX0(), own.covYY0());
            Map<String, Double> cross = crossCovariances.get(group);
            for (int k = 1; k < of.size(); k++) {
                int j = of.get(k);
                builder.cross(0, k + 1, cross(cross, i, ResultColumns.Part.X, j, ResultColumns.Part.PRE_X),
                        cross(cross, i, ResultColumns.Part.X, j, ResultColumns.Part.PRE_Y),
                        cross(cross, i, ResultColumns.Part.Y, j, ResultColumns.Part.PRE_X),
                        cross(cross, i, ResultColumns.Part.Y, j, ResultColumns.Part.PRE_Y));
            }
            for (int a = 0; a < of.size(); a++) {
                for (int b = a + 1; b < of.size(); b++) {
                    int p = of.get(a);
                    int q = of.get(b);
                    builder.cross(a + 1, b + 1, cross(cross, p, ResultColumns.Part.PRE_X, q, ResultColumns.Part.PRE_X),
                            cross(cross, p, ResultColumns.Part.PRE_X, q, ResultColumns.Part.PRE_Y),
                            cross(cross, p, ResultColumns.Part.PRE_Y, q, ResultColumns.Part.PRE_X),
                            cross(cross, p, ResultColumns.Part.PRE_Y, q, ResultColumns.Part.PRE_Y));
                }
            }
            return builder.build();
        }

        // cov(part a of metric i, part b of metric j) as the statement returned it (two pre-periods under the lower
        // index first); 0 for a part that is a Y ≡ 1, which has no column
        private static double cross(Map<String, Double> cross, int i, ResultColumns.Part a, int j, ResultColumns.Part b) {
            String name = a.pre() && b.pre() && i > j ? ResultColumns.crossCovariance(j, b, i, a)
                    : ResultColumns.crossCovariance(i, a, j, b);
            return cross.getOrDefault(name, 0.0);
        }

        /** A slice of the plain moments of {@code metrics} (indices into the plan's metrics) only. */
        Slice(ExperimentPlan plan, List<Integer> metrics) {
            this.metrics = metrics;
            metrics.forEach(i -> moments.put(plan.metrics().get(i).metric(), new LinkedHashMap<>()));
        }

        /** Adds one group's row; counts the units of windowed metrics left out into {@code windowOpen}. */
        void add(ExperimentPlan plan, QueryResult.Row row, String group, Map<MetricName, Long> windowOpen) {
            long n = row.getLong(ResultColumns.UNITS);
            units.put(group, n);
            for (int i : metrics) {
                MetricColumns metric = plan.metrics().get(i);
                boolean hasY = metric.y().isPresent();
                // a windowed metric's own n: units whose window is open at the end have no value
                long metricUnits = metric.window().isPresent() ? row.getLong(ResultColumns.metricUnits(metric)) : n;
                windowOpen.computeIfPresent(metric.metric(), (name, open) -> open + n - metricUnits);
                // the X moments are those of X − c·Y (docs/statistics.md, "How the moments are computed")
                double meanX = orZero(row.getDouble(ResultColumns.meanX(metric)));
                double varX = orZero(row.getDouble(ResultColumns.varX(metric)));
                double shift = orZero(row.getDouble(ResultColumns.shiftX(metric)));
                double meanY = hasY ? orZero(row.getDouble(ResultColumns.meanY(metric))) : 1;
                double varY = hasY ? orZero(row.getDouble(ResultColumns.varY(metric))) : 0;
                double covXY = hasY ? orZero(row.getDouble(ResultColumns.covXY(metric))) : 0;
                requireFinite(plan, metric, group, meanX + varX + meanY + varY + covXY + shift);
                GroupMoments groupMoments = new GroupMoments(metricUnits, meanX, meanY, varX, varY, covXY, shift);
                if (Double.valueOf(0.0).equals(Math.abs(orZero(row.getDouble(ResultColumns.rawMeanX(metric)))))) {
                    // X sums to exactly 0: keep the value exactly 0 (a shifted mean would carry rounding)
                    GroupMoments raw = groupMoments.withShift(0.0);
                    groupMoments = new GroupMoments(metricUnits, 0.0, meanY, raw.varX(), varY, raw.covXY());
                }
                moments.get(metric.metric()).put(group, groupMoments);
                if (covariates.containsKey(metric.metric())) {
                    covariates.get(metric.metric()).put(group, covariate(plan, row, i, groupMoments));
                    Map<String, Double> cross = crossCovariances.computeIfAbsent(group, g -> new LinkedHashMap<>());
                    for (ResultColumns.CrossCovariance column : ResultColumns.crossCovariances(plan, i)) {
                        // like GroupMoments, covariances of fewer than 2 units are undefined and stored as 0
                        double value = n < 2 ? 0.0 : orZero(row.getDouble(column.name()));
                        requireFinite(plan, metric, group, value);
                        cross.put(column.name(), value);
                    }
                }
            }
        }
    }

    /** The pre-period moments and cross covariances of metric {@code i}; those involving Y are 0 for {@code Y ≡ 1}. */
    private static CovariateMoments covariate(ExperimentPlan plan, QueryResult.Row row, int i, GroupMoments post) {
        MetricColumns metric = plan.metrics().get(i);
        boolean hasY = metric.y().isPresent();
        double meanX0 = orZero(row.getDouble(ResultColumns.meanPreX(metric)));
        double varX0 = orZero(row.getDouble(ResultColumns.varPreX(metric)));
        double covXX0 = orZero(row.getDouble(ResultColumns.covXPreX(metric)));
        double shift0 = orZero(row.getDouble(ResultColumns.shiftPreX(metric)));
        double meanY0 = hasY ? orZero(row.getDouble(ResultColumns.meanPreY(metric))) : 1;
        double varY0 = hasY ? orZero(row.getDouble(ResultColumns.varPreY(metric))) : 0;
        double covX0Y0 = hasY ? orZero(row.getDouble(ResultColumns.covPreXPreY(metric))) : 0;
        double covXY0 = hasY ? orZero(row.getDouble(ResultColumns.covXPreY(metric))) : 0;
        double covYX0 = hasY ? orZero(row.getDouble(ResultColumns.covYPreX(metric))) : 0;
        double covYY0 = hasY ? orZero(row.getDouble(ResultColumns.covYPreY(metric))) : 0;
        requireFinite(plan, metric, row.getString(ResultColumns.GROUP),
                meanX0 + varX0 + covXX0 + meanY0 + varY0 + covX0Y0 + covXY0 + covYX0 + covYY0 + shift0);
        GroupMoments pre = new GroupMoments(post.n(), meanX0, meanY0, varX0, varY0, covX0Y0, shift0);
        if (post.n() < 2) {
            // like GroupMoments, covariances of fewer than 2 units are undefined and stored as 0
            return new CovariateMoments(post, pre, 0, 0, 0, 0);
        }
        return new CovariateMoments(post, pre, covXX0, covXY0, covYX0, covYY0);
    }

    private static void requireFinite(ExperimentPlan plan, MetricColumns metric, String group, double sum) {
        if (!Double.isFinite(sum)) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                    "experiment '%s', metric '%s', group '%s': the data holds NaN or Infinity values (or sums "
                            + "too large for a double), which cannot be analysed; exclude them with a filter "
                            + "such as \"isfinite(revenue)\"", plan.experiment(), metric.metric(), group));
        }
    }

    /** VAR_SAMP and COVAR_SAMP are NULL for fewer than 2 units. */
    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static PulseException culprit(PulseConfig config, ExperimentPlan plan, SqlRenderer renderer,
                                          Warehouse warehouse, PulseException failure) {
        AssignmentScan assignment = plan.assignment();
        List<String> assignmentColumns = new ArrayList<>(List.of(assignment.unitColumn(), assignment.timestampColumn(),
                assignment.experimentColumn(), assignment.groupColumn()));
        assignmentColumns.addAll(plan.dimensions().columns());
        assignment.datePartition().ifPresent(assignmentColumns::add);
        Optional<String> problem = probe(warehouse, renderer.probeColumns(assignment.relation(), assignmentColumns))
                .map(message -> describe(assignment.source(), assignment.relation()) + ": " + message);
        if (problem.isEmpty() && plan.idMapping().isPresent()) {
            dev.pulse.plan.MappingScan mapping = plan.idMapping().get();
            problem = probe(warehouse, renderer.probeColumns(mapping.relation(),
                            List.of(mapping.unitColumn(), mapping.idColumn(), mapping.timestampColumn())))
                    .map(message -> describe(mapping.source(), mapping.relation()) + ": " + message);
        }
        if (problem.isEmpty() && plan.trigger().isPresent()) {
            dev.pulse.plan.TriggerScan trigger = plan.trigger().get();
            problem = probe(warehouse, renderer.probeColumns(trigger.relation(),
                            List.of(trigger.unitColumn(), trigger.timestampColumn())))
                    .or(() -> probe(warehouse, renderer.probeExpression(trigger.relation(),
                            new RowExpression(Optional.empty(), trigger.filter()))))
                    .map(message -> "trigger of experiment '" + plan.experiment() + "', "
                            + describe(trigger.source(), trigger.relation()) + ": " + message);
        }
        for (SourcePass pass : plan.passes()) {
            if (problem.isPresent()) {
                break;
            }
            List<String> passColumns = new ArrayList<>(List.of(pass.unitColumn(), pass.timestampColumn()));
            pass.datePartition().ifPresent(passColumns::add);
            problem = probe(warehouse, renderer.probeColumns(pass.relation(), passColumns))
                    .map(message -> describe(pass.source(), pass.relation()) + ": " + message);
        }
        for (MetricColumns columns : plan.metrics()) {
            if (problem.isPresent()) {
                break;
            }
            Metric metric = config.metric(columns.metric());
            problem = probeSide(config, renderer, warehouse, metric.name(), metric.numerator());
            if (problem.isEmpty() && metric.denominator().isPresent()) {
                problem = probeSide(config, renderer, warehouse, metric.name(), metric.denominator().get());
            }
        }
        String message = problem.orElse("experiment '" + plan.experiment() + "': " + failure.getMessage());
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, message, failure);
    }

    private static Optional<String> probeSide(PulseConfig config, SqlRenderer renderer, Warehouse warehouse,
                                              MetricName metric, UnitAggregate side) {
        Relation relation = config.source(side.source()).relation();
        if (side.value().isPresent()) {
            String value = side.value().get();
            Optional<String> problem = probe(warehouse,
                    renderer.probeExpression(relation, new RowExpression(side.value(), Optional.empty())))
                    .map(message -> "metric '" + metric + "' value '" + value + "': " + message);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (side.filter().isPresent()) {
            String filter = side.filter().get();
            return probe(warehouse, renderer.probeExpression(relation, new RowExpression(Optional.empty(), side.filter())))
                    .map(message -> "metric '" + metric + "' filter '" + filter + "': " + message);
        }
        return Optional.empty();
    }

    /** The warehouse's message when {@code sql} fails, else empty. */
    private static Optional<String> probe(Warehouse warehouse, String sql) {
        try {
            warehouse.query(sql);
            return Optional.empty();
        } catch (PulseException e) {
            return Optional.of(withoutProbeExcerpt(e.getMessage()));
        }
    }

    /**
     * DuckDB ends a message with a {@code LINE n:} excerpt of the failing statement; for a probe that
     * statement is Pulse's, not the user's, so only the explanation above it is kept.
     */
    private static String withoutProbeExcerpt(String message) {
        int excerpt = message.indexOf("\n\nLINE ");
        return excerpt < 0 ? message : message.substring(0, excerpt);
    }

    private static String describe(SourceName source, Relation relation) {
        String where;
        if (relation instanceof Relation.Files files) {
            where = files.location();
        } else if (relation instanceof Relation.Table table) {
            where = "table " + String.join(".", table.nameParts());
        } else {
            where = "sql query";
        }
        return "source '" + source + "' (" + where + ")";
    }
}
