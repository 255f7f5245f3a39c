package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.FunnelPlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.RowExpression;
import dev.pulse.sql.FunnelSqlRenderer;
import dev.pulse.sql.ResultColumns;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the statement of one funnel metric of one experiment ({@link FunnelSqlRenderer}) and reads back
 * per group the moments of its overall and step conversions: plan → SQL → warehouse → {@link FunnelData}.
 * One statement; only a few numbers per group come back.
 */
public final class FunnelFetcher {

    private FunnelFetcher() {}

    /** The statement, for {@code pulse sql}. */
    public static String sql(PulseConfig config, ExperimentName experiment, MetricName metric) {
        return FunnelSqlRenderer.of(Dialects.forEngine(config.warehouse().engine()))
                .render(Planner.funnel(config, experiment, metric));
    }

    /**
     * The funnel metric {@code metric} of {@code experiment}, per group.
     *
     * @throws PulseException CONFIG_INVALID when the metric is not a funnel metric of the experiment;
     *                        WAREHOUSE_FAILED naming the experiment and metric (and the step filter when
     *                        that is what the warehouse rejects)
     */
    public static FunnelData fetch(PulseConfig config, ExperimentName experiment, MetricName metric,
                                   Warehouse warehouse) {
        FunnelPlan plan = Planner.funnel(config, experiment, metric);
        SourceSetup.prepare(plan.experiment(), warehouse);
        plan.sources().forEach(source -> SourceSetup.prepare(source.source(), source.relation(), warehouse));
        FunnelSqlRenderer renderer = FunnelSqlRenderer.of(Dialects.forEngine(warehouse.engine()));
        String sql = renderer.render(plan);
        QueryResult result;
        try {
            result = warehouse.query(sql);
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw culprit(plan, warehouse, e);
        }
        Map<List<String>, Builder> slices = new LinkedHashMap<>();
        Builder overall = new Builder();
        boolean sliced = plan.experiment().dimensions().any();
        for (QueryResult.Row row : result.rows()) {
            String group = row.getString(ResultColumns.GROUP);
            String dimension = sliced ? row.getString(ResultColumns.DIMENSION) : null;
            Builder slice = dimension == null ? overall : slices.computeIfAbsent(
                    List.of(dimension, row.getString(ResultColumns.DIMENSION_VALUE)), key -> new Builder());
            slice.add(plan, row, group);
        }
        List<FunnelData.DimensionConversions> dimensions = new ArrayList<>();
        slices.forEach((key, slice) -> dimensions.add(
                new FunnelData.DimensionConversions(key.get(0), key.get(1), slice.build())));
        return new FunnelData(metric, overall.build(), dimensions, sql);
    }

    /** The conversions of one set of units, group by group. */
    private static final class Builder {
        private final Map<String, GroupMoments> overall = new LinkedHashMap<>();
        private final Map<String, Map<String, GroupMoments>> steps = new LinkedHashMap<>();

        void add(FunnelPlan plan, QueryResult.Row row, String group) {
            long n = row.getLong(ResultColumns.UNITS);
            overall.put(group, moments(row, n, FunnelSqlRenderer.overall(plan)));
            for (int k = 1; k < plan.steps().size(); k++) {
                steps.computeIfAbsent(plan.steps().get(k).name(), name -> new LinkedHashMap<>())
                        .put(group, moments(row, n, FunnelSqlRenderer.step(plan, k)));
            }
        }

        FunnelData.Conversions build() {
            return new FunnelData.Conversions(overall, steps);
        }
    }

    /** One conversion's moments; X moments are those of X − c·Y (docs/statistics.md, "How the moments are computed"). */
    private static GroupMoments moments(QueryResult.Row row, long n, FunnelSqlRenderer.Columns columns) {
        double meanX = orZero(row.getDouble(columns.meanX()));
        double varX = orZero(row.getDouble(columns.varX()));
        double shift = orZero(row.getDouble(columns.shiftX()));
        double meanY = columns.meanY().map(name -> orZero(row.getDouble(name))).orElse(1.0);
        double varY = columns.varY().map(name -> orZero(row.getDouble(name))).orElse(0.0);
        double covXY = columns.covXY().map(name -> orZero(row.getDouble(name))).orElse(0.0);
        GroupMoments moments = new GroupMoments(n, meanX, meanY, varX, varY, covXY, shift);
        if (Double.valueOf(0.0).equals(Math.abs(orZero(row.getDouble(columns.rawMeanX()))))) {
            // no unit converted: keep the value exactly 0 (a shifted mean would carry rounding)
            GroupMoments raw = moments.withShift(0.0);
            moments = new GroupMoments(n, 0.0, meanY, raw.varX(), varY, raw.covXY());
        }
        return moments;
    }

    /** Names the metric, and the step filter when a probe of that alone fails. */
    private static PulseException culprit(FunnelPlan plan, Warehouse warehouse, PulseException failure) {
        SqlRenderer probes = SqlRenderer.of(Dialects.forEngine(warehouse.engine()));
        String where = "experiment '" + plan.experiment().experiment() + "', funnel metric '" + plan.metric() + "'";
        for (FunnelPlan.Step step : plan.steps()) {
            if (step.filter().isEmpty()) {
                continue;
            }
            FunnelPlan.StepSource source = plan.sources().get(step.source());
            try {
                warehouse.query(probes.probeExpression(source.relation(),
                        new RowExpression(Optional.empty(), step.filter())));
            } catch (PulseException e) {
                String message = e.getMessage();
                int excerpt = message.indexOf("\n\nLINE ");
                return new PulseException(PulseException.Category.WAREHOUSE_FAILED, where + " step '" + step.name()
                        + "' filter '" + step.filter().get() + "': "
                        + (excerpt < 0 ? message : message.substring(0, excerpt)), failure);
            }
        }
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, where + ": " + failure.getMessage(), failure);
    }

    /** VAR_SAMP and COVAR_SAMP are NULL for fewer than 2 units. */
    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
