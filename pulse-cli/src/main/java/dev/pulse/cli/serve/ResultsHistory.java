package dev.pulse.cli.serve;

import dev.pulse.analysis.ResultsTable;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.TableName;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an experiment's runs back from the results table ({@code warehouse.results_table}): one {@link PastRun} per
 * {@code run_id}, newest first. The experiment's name is a bound parameter and the table's name is quoted by the
 * dialect, so no value becomes SQL text. A table that is missing, unreadable or of another layout is reported as
 * {@link Unreadable}, never thrown.
 */
final class ResultsHistory {
    /** The columns the reader needs, those {@code pulse analyze} writes (docs/staging-and-results-tables.md). */
    static final List<String> COLUMNS = TableStatements.RESULT_COLUMNS;

    private ResultsHistory() {}

    /** What a read found. */
    sealed interface Read permits Found, Unreadable {}

    /** The experiment's runs in the table, newest first (none when it holds no row of the experiment). */
    record Found(List<PastRun> runs) implements Read {
        Found {
            runs = List.copyOf(runs);
        }
    }

    /** Why the table could not be read, as a sentence to show. */
    record Unreadable(String message) implements Read {}

    /** The statement reading one experiment's rows; its only parameter is the experiment's name. */
    static String select(Dialect dialect, TableName table) {
        List<String> quoted = COLUMNS.stream().map(dialect::quoteIdentifier).toList();
        return "SELECT " + String.join(", ", quoted) + "\nFROM " + dialect.tableName(table.parts())
                + "\nWHERE " + dialect.quoteIdentifier("experiment") + " = " + dialect.parameter(0);
    }

    /** A statement returning no row but the table's columns: whether it is there and what layout it has. */
    static String columns(Dialect dialect, TableName table) {
        return "SELECT * FROM " + dialect.tableName(table.parts()) + " WHERE 1 = 0";
    }

    /** The runs of {@code experiment} in {@code table}, newest first. */
    static Read read(Warehouse warehouse, TableName table, ExperimentName experiment) {
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        QueryResult layout;
        try {
            layout = warehouse.query(columns(dialect, table));
        } catch (PulseException e) {
            return new Unreadable("Cannot read the results table " + table + ": " + e.getMessage()
                    + " (it is created by the first run that writes results to it).");
        }
        Set<String> present = new TreeSet<>();
        layout.columns().forEach(column -> present.add(column.toLowerCase(Locale.ROOT)));
        List<String> missing = COLUMNS.stream().filter(column -> !present.contains(column)).toList();
        if (!missing.isEmpty()) {
            return new Unreadable("The results table " + table + " has another layout than this version of Pulse"
                    + " writes: it lacks the column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " (it has " + String.join(", ", layout.columns()) + "). Name another results_table, or drop"
                    + " this one so that the next run creates it (docs/staging-and-results-tables.md).");
        }
        QueryResult rows;
        try {
            rows = warehouse.query(select(dialect, table), List.of(experiment.value()));
        } catch (PulseException e) {
            return new Unreadable("Cannot read the results table " + table + ": " + e.getMessage());
        }
        Map<String, Instant> runAt = new LinkedHashMap<>();
        Map<String, List<ResultsTable.Row>> byRun = new LinkedHashMap<>();
        try {
            for (QueryResult.Row row : rows.rows()) {
                String run = row.getString("run_id");
                if (run == null || row.getString("statistic") == null) {
                    continue; // not a row Pulse wrote
                }
                Instant at = instant(row.get("run_at"));
                runAt.merge(run, at, (a, b) -> a.isAfter(b) ? a : b);
                byRun.computeIfAbsent(run, key -> new ArrayList<>()).add(new ResultsTable.Row(experiment.value(),
                        row.getString("metric"), row.getString("group_name"), row.getString("statistic"),
                        row.getDouble("value")));
            }
        } catch (RuntimeException e) {
            return new Unreadable("The results table " + table + " holds values this version of Pulse cannot read ("
                    + e.getMessage() + "); name another results_table (docs/staging-and-results-tables.md).");
        }
        List<PastRun> runs = new ArrayList<>();
        byRun.forEach((run, list) -> runs.add(new PastRun(run, runAt.get(run), true, java.util.Optional.empty(),
                RunFigures.fromRows(list))));
        runs.sort(Comparator.comparing(PastRun::runAt).reversed().thenComparing(PastRun::key));
        return new Found(runs);
    }

    /** A {@code run_at} value as the drivers return it: a timestamp without time zone is UTC. */
    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new IllegalArgumentException("run_at is " + (value == null ? "NULL" : "a " + value.getClass().getSimpleName()));
    }
}
