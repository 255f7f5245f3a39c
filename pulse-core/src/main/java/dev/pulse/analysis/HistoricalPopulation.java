package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.SqlRenderer;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A synthetic experiment over a historical window, so that the plan and SQL Pulse runs for real
 * experiments estimate each metric's per-unit moments before an experiment starts.
 *
 * <p>The population stands in for the assignment: every unit (of the request's ID type) with at least
 * one row in any of the metrics' sources inside the window {@code [from 00:00Z, to + 1 day 00:00Z)},
 * all in one group {@value #GROUP}, its "first exposure" being its first such row. Metric rows then
 * count from that first row to the window's end, exactly as for an experiment (docs/concepts.md). Caveat: a
 * real experiment also counts exposed units without any activity (with zeros), which this population
 * cannot see, so for metrics where many exposed units stay inactive the historical mean is higher,
 * and the variance differs, from what the experiment will see.
 */
public final class HistoricalPopulation {

    /** The one group every historical unit is in. */
    public static final String GROUP = "all";

    private static final String UNIT_COLUMN = "pulse_unit";
    private static final String TIMESTAMP_COLUMN = "pulse_ts";
    private static final String EXPERIMENT_COLUMN = "pulse_experiment";
    private static final String GROUP_COLUMN = "pulse_group";
    private static final String SOURCE_ALIAS = "src";
    private static final String ROWS_ALIAS = "pulse_rows";

    private HistoricalPopulation() {}

    /**
     * The metric sources of the request's metrics (numerators and denominators), in first-use order.
     *
     * @throws PulseException CONFIG_INVALID when a source lacks a column for the request's unit
     */
    public static List<Source> sources(PulseConfig config, PowerRequest request) {
        Set<SourceName> names = new LinkedHashSet<>();
        for (MetricName metricName : request.metrics()) {
            Metric metric = config.metric(metricName);
            names.addAll(metric.sources());
        }
        List<Source> sources = new ArrayList<>();
        for (SourceName name : names) {
            Source source = config.source(name);
            if (source.idColumn(request.unit()).isEmpty()) {
                throw new PulseException(PulseException.Category.CONFIG_INVALID, "source '" + name
                        + "' has no column for the unit ID type '" + request.unit() + "', so its metrics cannot "
                        + "be measured per " + request.unit());
            }
            sources.add(source);
        }
        return sources;
    }

    /**
     * The query selecting the population's rows: per metric source, the unit and timestamp of every row
     * inside the window, with the constant experiment name and group. (The plan then takes each unit's
     * first row as its exposure.)
     */
    public static String query(PulseConfig config, PowerRequest request, Dialect dialect) {
        SqlRenderer renderer = SqlRenderer.of(dialect);
        String start = dialect.timestampLiteral(request.from().atStartOfDay(ZoneOffset.UTC).toInstant());
        String end = dialect.timestampLiteral(request.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        List<String> branches = new ArrayList<>();
        for (Source source : sources(config, request)) {
            String unit = column(dialect, SOURCE_ALIAS, source.idColumn(request.unit()).orElseThrow());
            String timestamp = column(dialect, SOURCE_ALIAS, source.timestampColumn());
            branches.add("SELECT " + unit + " AS " + dialect.quoteIdentifier(UNIT_COLUMN) + ", "
                    + timestamp + " AS " + dialect.quoteIdentifier(TIMESTAMP_COLUMN) + "\n"
                    + "FROM " + renderer.relation(source.relation()) + " AS " + dialect.quoteIdentifier(SOURCE_ALIAS) + "\n"
                    + "WHERE " + unit + " IS NOT NULL\n"
                    + "  AND " + timestamp + " >= " + start + "\n"
                    + "  AND " + timestamp + " < " + end);
        }
        return "SELECT\n"
                + "  " + column(dialect, ROWS_ALIAS, UNIT_COLUMN) + " AS " + dialect.quoteIdentifier(UNIT_COLUMN) + ",\n"
                + "  " + column(dialect, ROWS_ALIAS, TIMESTAMP_COLUMN) + " AS " + dialect.quoteIdentifier(TIMESTAMP_COLUMN) + ",\n"
                + "  " + dialect.stringLiteral(request.name().value()) + " AS " + dialect.quoteIdentifier(EXPERIMENT_COLUMN) + ",\n"
                + "  " + dialect.stringLiteral(GROUP) + " AS " + dialect.quoteIdentifier(GROUP_COLUMN) + "\n"
                + "FROM (\n"
                + String.join("\nUNION ALL\n", branches) + "\n"
                + ") AS " + dialect.quoteIdentifier(ROWS_ALIAS);
    }

    /**
     * {@code config} with the population as an extra assignment source and one experiment, named as the
     * request, over it: group {@value #GROUP} only, the window's dates, the request's metrics, default
     * analysis options (no CUPED: the variance is that of the plain estimate). Metric options
     * (winsorization) are kept, so the variance is that of the values the analysis will use.
     */
    public static PulseConfig config(PulseConfig config, PowerRequest request, Dialect dialect) {
        SourceName populationName = freeName(config);
        Source population = new Source(populationName, new Relation.Query(query(config, request, dialect)),
                TIMESTAMP_COLUMN, Map.of(request.unit(), UNIT_COLUMN),
                Optional.of(new Source.AssignmentColumns(EXPERIMENT_COLUMN, GROUP_COLUMN)));
        Map<SourceName, Source> sources = new LinkedHashMap<>(config.sources());
        sources.put(populationName, population);
        Experiment experiment = Experiment.builder().name(request.name()).assignment(populationName).unit(request.unit())
                .control(GROUP).groups(List.of(new Group(GROUP, 1.0))).start(request.from()).end(request.to())
                .alpha(request.alpha()).metrics(request.metrics()).build();
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>();
        experiments.put(request.name(), experiment);
        return new PulseConfig(config.file(), config.warehouse(), sources, config.metrics(), experiments);
    }

    private static SourceName freeName(PulseConfig config) {
        String base = "pulse_power_population";
        SourceName name = new SourceName(base);
        for (int i = 2; config.sources().containsKey(name); i++) {
            name = new SourceName(base + "_" + i);
        }
        return name;
    }

    private static String column(Dialect dialect, String table, String column) {
        return dialect.quoteIdentifier(table) + "." + dialect.quoteIdentifier(column);
    }
}
