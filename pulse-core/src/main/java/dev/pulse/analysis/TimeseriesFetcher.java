package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.Planner;
import dev.pulse.sql.ResultColumns;
import dev.pulse.sql.TimeseriesSqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment's daily-results statement ({@link TimeseriesSqlRenderer}) and brings back, per
 * day from start to end, the per-group moments of each series metric as of the end of that day:
 * O(days × groups × metrics) numbers. A day before any unit's first exposure has no group.
 */
public final class TimeseriesFetcher {

    private TimeseriesFetcher() {}

    /** One day's cumulative moments: units per group, and per series metric its moments per group. */
    public record Day(LocalDate date, Map<String, Long> units, Map<MetricName, Map<String, GroupMoments>> moments) {
        public Day {
            units = Map.copyOf(units);
            moments = Map.copyOf(moments);
        }
    }

    /** The statement {@code pulse sql} would print for the daily results. */
    public static String sql(PulseConfig config, ExperimentName experiment) {
        return TimeseriesSqlRenderer.of(Dialects.forEngine(config.warehouse().engine()))
                .render(Planner.plan(config, experiment));
    }

    /**
     * Every day of the experiment, in order, with explicit empty days.
     *
     * @throws PulseException WAREHOUSE_FAILED when the warehouse rejects the statement
     */
    public static List<Day> fetch(PulseConfig config, ExperimentName experiment, Warehouse warehouse) {
        ExperimentPlan plan = Planner.plan(config, experiment);
        SourceSetup.prepare(plan, warehouse);
        String sql = TimeseriesSqlRenderer.of(Dialects.forEngine(warehouse.engine())).render(plan);
        QueryResult result = warehouse.query(sql);
        List<Integer> series = TimeseriesSqlRenderer.seriesMetrics(plan);
        int days = TimeseriesSqlRenderer.days(plan);
        List<Map<String, Long>> units = new ArrayList<>();
        List<Map<MetricName, Map<String, GroupMoments>>> moments = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            units.add(new LinkedHashMap<>());
            Map<MetricName, Map<String, GroupMoments>> day = new LinkedHashMap<>();
            series.forEach(i -> day.put(plan.metrics().get(i).metric(), new LinkedHashMap<>()));
            moments.add(day);
        }
        for (QueryResult.Row row : result.rows()) {
            int d = (int) row.getLong(TimeseriesSqlRenderer.DAY);
            String group = row.getString(ResultColumns.GROUP);
            long n = row.getLong(ResultColumns.UNITS);
            units.get(d).put(group, n);
            for (int i : series) {
                MetricColumns metric = plan.metrics().get(i);
                boolean hasY = metric.y().isPresent();
                GroupMoments groupMoments = new GroupMoments(n,
                        orZero(row.getDouble(ResultColumns.meanX(i))),
                        hasY ? orZero(row.getDouble(ResultColumns.meanY(i))) : 1,
                        orZero(row.getDouble(ResultColumns.varX(i))),
                        hasY ? orZero(row.getDouble(ResultColumns.varY(i))) : 0,
                        hasY ? orZero(row.getDouble(ResultColumns.covXY(i))) : 0);
                moments.get(d).get(metric.metric()).put(group, groupMoments);
            }
        }
        LocalDate start = LocalDate.ofInstant(plan.window().start(), ZoneOffset.UTC);
        List<Day> daily = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            daily.add(new Day(start.plusDays(d), units.get(d), moments.get(d)));
        }
        return daily;
    }

    /** VAR_SAMP and COVAR_SAMP are NULL for fewer than 2 units. */
    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
