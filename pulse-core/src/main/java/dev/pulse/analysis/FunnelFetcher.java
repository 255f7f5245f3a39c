package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
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
 * Runs the statement of one funnel metric of one experiment ({@link FunnelSqlRenderer}) and turns the
 * per-group counts it returns into the moments of its overall and step conversions: plan → SQL → warehouse → {@link FunnelData}.
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
            int last = plan.steps().size() - 1;
            long[] reached = new long[plan.steps().size()];
            for (int k = 0; k <= last; k++) {
                reached[k] = row.getLong(FunnelSqlRenderer.reached(plan, k));
            }
            overall.put(group, plan.denominator() == Metric.Funnel.Denominator.FIRST_STEP
                    ? indicatorMoments(n, reached[last], reached[0])
                    : indicatorMoments(n, reached[last]));
            for (int k = 1; k <= last; k++) {
                steps.computeIfAbsent(plan.steps().get(k).name(), name -> new LinkedHashMap<>())
                        .put(group, indicatorMoments(n, reached[k], reached[k - 1]));
            }
        }

        FunnelData.Conversions build() {
            return new FunnelData.Conversions(overall, steps);
        }
    }

    /**
     * The moments of a conversion over {@code n} units of which {@code y} have Y = 1 and {@code x} have X = 1,
     * where X and Y are indicators with X ≤ Y (a unit reaches a step only after the one before): exact from
     * the counts, since ΣX² = ΣXY = x and ΣY² = y. The X moments are those of X − c·Y with c = x/y, the
     * group's own ratio (docs/statistics.md, "How the moments are computed"): X − c·Y is 1 − c on the x units,
     * −c on the y − x others and 0 elsewhere, so its mean is 0, its covariance with Y is 0 and its variance
     * x(y − x)/(y(n − 1)) — no difference of large numbers, and exactly 0 when no unit or every unit of the
     * denominator converts.
     */
    static GroupMoments indicatorMoments(long n, long x, long y) {
        if (x < 0 || x > y || y > n) {
            throw new IllegalArgumentException("indicator counts need 0 <= x <= y <= n, got " + x + ", " + y + ", " + n);
        }
        double meanY = n == 0 ? 0 : (double) y / n;
        if (n < 2) {
            return new GroupMoments(n, 0, meanY, 0, 0, 0, y == 0 ? 0 : (double) x / y);
        }
        double varX = y == 0 ? 0 : (double) x * (y - x) / y / (n - 1);
        double varY = (double) y * (n - y) / n / (n - 1);
        return new GroupMoments(n, 0, meanY, varX, varY, 0, y == 0 ? 0 : (double) x / y);
    }

    /** The moments of an indicator X over {@code n} units of which {@code x} have X = 1, with Y ≡ 1 (as above). */
    static GroupMoments indicatorMoments(long n, long x) {
        if (x < 0 || x > n) {
            throw new IllegalArgumentException("indicator counts need 0 <= x <= n, got " + x + ", " + n);
        }
        if (n < 2) {
            return new GroupMoments(n, 0, 1, 0, 0, 0, n == 0 ? 0 : (double) x / n);
        }
        return new GroupMoments(n, 0, 1, (double) x * (n - x) / n / (n - 1), 0, 0, (double) x / n);
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

}
