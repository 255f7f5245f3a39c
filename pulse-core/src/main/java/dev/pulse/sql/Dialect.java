package dev.pulse.sql;

import dev.pulse.model.Relation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one engine's SQL looks like, for the few places where engines differ. The renderer never names
 * an engine; it asks its dialect. Implementations live in {@code dev.pulse.sql.dialect}.
 */
public interface Dialect {

    /** The engine's name for messages: {@code duckdb}. */
    String name();

    /** {@code identifier} quoted so that it is read verbatim, whatever its case or spelling. */
    String quoteIdentifier(String identifier);

    /** A string literal holding {@code value}. */
    String stringLiteral(String value);

    /**
     * The marker of the statement's parameter number {@code index} (from 0, in the order of
     * {@link BoundStatement#parameters}): {@code ?} by default (JDBC). A value read from the data reaches SQL only
     * this way.
     */
    default String parameter(int index) {
        return "?";
    }

    /** A timestamp literal (without time zone) for the UTC wall-clock time of {@code instant}. */
    String timestampLiteral(Instant instant);

    /**
     * A query over Parquet files' footers alone, where the engine reads them by SQL: per file of {@code files}, its
     * rows ({@code n}) and the least value of {@code timestampColumn} from the row groups' statistics
     * ({@code first_ts}, NULL without statistics), one row per file with its name in {@code file}. An incremental
     * refresh compares them with the last refresh's to notice late files without reading any row
     * (docs/incremental.md). Empty where the engine has no such reader, or for CSV.
     */
    default Optional<String> parquetFileRows(Relation.Files files, String timestampColumn) {
        return Optional.empty();
    }

    /**
     * Rows staged in a temporary table for the statements that follow in the same session, so that several read one
     * scan.
     *
     * @param statements create it (after dropping the session's own table of that name, never a permanent one)
     * @param table      the table, qualified with the session's temporary schema, to read and then drop
     */
    record StagedRows(List<String> statements, String table) {}

    /**
     * {@code select}'s rows staged in a temporary table named {@code name}; empty where the engine has no temporary
     * tables (then each statement reads the source itself).
     */
    default Optional<StagedRows> stageRows(String name, String select) {
        return Optional.empty();
    }

    /**
     * {@code statements}, whose SELECTs join a source's rows (written first) to a table of units (written second), run
     * so that the engine builds its hash table on the units, the smaller side. By default as they are: the engine's
     * planner sees both sides' sizes. DuckDB estimates a filtered Parquet scan at one row and so builds its table on
     * the source's rows instead: 4 times the CPU of a refresh's largest statement (bench/README.md).
     */
    default List<String> unitsAsBuildSide(List<String> statements) {
        return statements;
    }

    /**
     * The statements that give the planner statistics of incremental-state tables a rebuild has just created in its
     * transaction ({@code quotedTables}), run before any statement reads them: none by default (DuckDB keeps its
     * statistics as it writes; Spark plans without table statistics). PostgreSQL's autovacuum cannot see a table
     * before the transaction commits, and without statistics the planner estimated the bench's 97 000 units at 200
     * groups and their per-unit rows at one, and put an aggregate over them on the inner side of a nested loop, run
     * again for every unit: the rebuild's last statement ran for more than 16 minutes where a full run takes 10 seconds
     * (bench/README.md).
     */
    default List<String> refreshStatistics(List<String> quotedTables) {
        return List.of();
    }

    /** A date constant: {@code DATE '2026-03-01'} in every engine Pulse runs on. */
    default String dateLiteral(java.time.LocalDate date) {
        return "DATE '" + date + "'";
    }

    /** A relation reading a CSV or Parquet file (or glob), usable in a FROM clause before an alias. */
    String fileRelation(Relation.Files files);

    /**
     * The statements that must run in the session before a statement reads {@link #fileRelation}{@code (files)}:
     * none where a query reads files itself (the default); Spark registers a CSV file as a temporary view,
     * because its SQL cannot read a CSV header in a query. They replace what an earlier run registered, so
     * running them again is harmless.
     */
    default List<String> fileSetup(Relation.Files files) {
        return List.of();
    }

    /** A possibly qualified table name, each part quoted. */
    default String tableName(List<String> nameParts) {
        return String.join(".", nameParts.stream().map(this::quoteIdentifier).toList());
    }

    /** {@code expression} cast to a double-precision float. */
    String castToDouble(String expression);

    /** {@code expression} cast to a character string. */
    String castToText(String expression);

    /**
     * {@code textExpression} (of a character type) as a sort key that orders by Unicode code point, the
     * byte order of UTF-8 ({@code B} before {@code a}, {@code d10} before {@code d9}), whatever collation the
     * column, the database or the session would otherwise apply: for the tie-breaks that compare text, so
     * that every engine picks the same row.
     */
    String codePointOrder(String textExpression);

    /**
     * The timestamp {@code days} whole days before {@code timestamp} (an expression of a timestamp
     * type, with or without time zone; sessions run in UTC).
     */
    String minusDays(String timestamp, int days);

    /**
     * The aggregate giving {@code value} of the row with the smallest {@code order} in a group (ties:
     * any of them): a column at a unit's first exposure.
     */
    String valueAtMinimum(String value, String order);

    /**
     * The aggregate giving, among a group's rows whose {@code value} (a double expression) is not NULL, the
     * value of the row with the least {@code order} (a timestamp or an integer); rows tied at that order
     * resolve to the greatest value, a rule every engine computes the same. NULL when no row has a value.
     * The value of a first-value metric.
     */
    String firstValue(String value, String order);

    /** As {@link #firstValue}, of the row with the greatest {@code order} (ties: the greatest value). */
    String latestValue(String value, String order);

    /**
     * The whole UTC days from {@code start} (a midnight) to {@code timestamp}, an integer: 0 for a
     * timestamp on the start day, 1 on the next, … (and −1 on the day before, for a CUPED pre-period row).
     */
    String dayIndex(String timestamp, Instant start);

    /**
     * A relation for a FROM clause with one integer column {@code column} holding 0, 1, …, {@code count − 1},
     * under the alias {@code alias} (both already quoted).
     */
    String integerRange(int count, String alias, String column);

    /** The timestamp {@code days} whole days after {@code timestamp} (as {@link #minusDays}). */
    String plusDays(String timestamp, int days);

    /**
     * The aggregate giving the continuous (linearly interpolated) {@code fraction} quantile of
     * {@code expression} over a group's rows: for sorted values x₁ ≤ … ≤ xₙ, the value at position
     * h = (n − 1)·fraction + 1, interpolated between x⌊h⌋ and x⌈h⌉ (Hyndman &amp; Fan 1996, type 7).
     */
    String quantile(String expression, double fraction);

    /**
     * The aggregate giving the discrete {@code fraction} quantile of {@code expression} over a group's
     * rows (NULLs ignored): the smallest value v with F̂(v) ≥ fraction, where F̂ is the empirical
     * distribution function — for sorted values x₁ ≤ … ≤ xₙ, x_k with k = max(1, ⌈n·fraction⌉)
     * (Hyndman &amp; Fan 1996, type 1; numpy {@code method="inverted_cdf"}). Always one of the values;
     * fraction 0 gives the minimum, 1 the maximum. Percentile metrics need this form
     * ({@code dev.pulse.stats.Percentiles}).
     */
    String discreteQuantile(String expression, double fraction);

    /**
     * The aggregate giving the sample covariance of {@code x} and {@code y} (double expressions) over a group's
     * rows where both are not NULL: Σ(x − x̄)(y − ȳ) / (n − 1), NULL for fewer than 2 such rows. The inputs are
     * always values the statement has centred by pilot shifts (docs/statistics.md, "How the moments are
     * computed"), so an engine without {@code COVAR_SAMP} may use a one-pass sum of products.
     */
    default String covarianceSample(String x, String y) {
        return "COVAR_SAMP(" + x + ", " + y + ")";
    }

    /**
     * An expression the engine treats as non-deterministic, selected (as a column nobody reads) by the CTEs that
     * several parts of a statement read, the exposures and the counted units, so that the engine computes each
     * once and shares the result; empty where the engine does that anyway (the default: DuckDB and PostgreSQL
     * materialize a CTE read more than once). Spark inlines a deterministic CTE at every reference, and each
     * copy, pruned to the columns its reader needs, scans the assignment source again; a non-deterministic
     * CTE it keeps, plans as one shuffle and reuses (docs/spark.md#how-cost-scales).
     */
    default Optional<String> computeOnceMarker() {
        return Optional.empty();
    }

    /** How this engine spells a column type in {@code CREATE TABLE}: the SQL that DuckDB and PostgreSQL both read by default. */
    default String columnType(TableStatements.ColumnType type) {
        return type.sql();
    }

    /**
     * The statements that make a transaction about to write the table (or schema) named {@code nameParts} wait
     * until no other transaction that ran them for the same name is open, so that two Pulse runs writing one
     * table take turns instead of interleaving: empty where the engine needs none (the default: one DuckDB
     * process holds a database file; Spark has no transactions). A lock on the name, not the table, as the table
     * may not exist yet.
     */
    default List<String> writeLock(List<String> nameParts) {
        return List.of();
    }

    /**
     * Whether a DROP and a CREATE of a table commit together in one transaction (DuckDB, PostgreSQL), so that a
     * table is replaced atomically. Where not (Spark), {@link TableStatements#replaceTable} builds the new table
     * beside the old one and renames it over.
     */
    default boolean transactionalDdl() {
        return true;
    }

    /**
     * Where DDL is not transactional, the one statement that replaces table {@code quotedName} by the rows of
     * {@code select} atomically (readers see the old table or the new one, never none), if the engine has one;
     * {@link TableStatements#replaceTable} then uses it instead of building beside and renaming. Empty by default.
     */
    default Optional<String> atomicReplaceTable(String quotedName, String select) {
        return Optional.empty();
    }

    /**
     * What follows {@code CREATE TABLE <name>} before {@code AS} in a table Pulse creates from a query: its
     * storage, where the engine would otherwise pick one from its settings. Empty by default.
     */
    default String createdTableStorage() {
        return "";
    }

    /**
     * Whether {@code --incremental} can keep an experiment's state on this engine (docs/incremental.md): by default
     * where DDL is transactional, the refresh committing in one transaction; Spark keeps it without one, replacing
     * whole day partitions ({@link #replaceStateDays}) and marking the state incomplete while it writes.
     */
    default boolean keepsIncrementalState() {
        return transactionalDdl();
    }

    /**
     * What follows {@code CREATE TABLE <name>} (before {@code AS}, or after the column list) in a table of an
     * incremental refresh's state, partitioned by the day column {@code quotedDay} when present: nothing by default.
     */
    default String stateTableStorage(Optional<String> quotedDay) {
        return "";
    }

    /**
     * The statements that replace the rows of state table {@code quotedTable} whose {@code quotedDay} is
     * {@code fromDay} or later by the rows of {@code select} (which holds only such days): by default a DELETE and an
     * INSERT in the refresh's transaction. {@code lastDay} is the last day the table may hold (empty when it holds
     * none), for an engine that replaces whole day partitions and must drop the days the new rows leave empty.
     */
    default List<String> replaceStateDays(String quotedTable, String quotedDay, int fromDay, Optional<Integer> lastDay,
                                          String select) {
        return List.of("DELETE FROM " + quotedTable + "\nWHERE " + quotedDay + " >= " + fromDay,
                "INSERT INTO " + quotedTable + "\n" + select);
    }

    /**
     * As {@link #replaceStateDays}, for a {@code select} that reads {@code quotedTable} itself: the rows it keeps, those
     * before {@code fromDay}, which the new rows must not repeat (a distinct count's pairs). By default the same DELETE
     * and INSERT: the INSERT reads the table as the DELETE left it.
     */
    default List<String> addStateDays(String quotedTable, String quotedDay, int fromDay, Optional<Integer> lastDay,
                                      String select) {
        return replaceStateDays(quotedTable, quotedDay, fromDay, lastDay, select);
    }

    /**
     * The statements that replace every row of state table {@code quotedTable} by the rows of {@code query} (a
     * SELECT or a VALUES list; none when empty): by default a DELETE and an INSERT in the refresh's transaction.
     */
    default List<String> replaceStateRows(String quotedTable, Optional<String> query) {
        List<String> statements = new java.util.ArrayList<>(List.of("DELETE FROM " + quotedTable));
        query.ifPresent(rows -> statements.add("INSERT INTO " + quotedTable + "\n" + rows));
        return List.copyOf(statements);
    }

    /**
     * How Pulse replaces one experiment's rows in its results table when the engine has no transactions: empty
     * where Pulse's tables are replaced inside one transaction (DuckDB, PostgreSQL); Spark overwrites the
     * experiment's partition of a partitioned table instead.
     */
    default Optional<PartitionOverwrite> partitionOverwrite() {
        return Optional.empty();
    }

    /**
     * An engine's table whose {@code INSERT OVERWRITE} replaces only the partitions the statement writes,
     * whatever the session's settings, and the check that an existing table is such a table.
     */
    interface PartitionOverwrite {
        /** What follows the column list of {@code CREATE TABLE} for such a table, partitioned by {@code quotedColumn}. */
        String tableClause(String quotedColumn);

        /**
         * The statement's head before its {@code VALUES}: it replaces the rows of {@code quotedTable} of the
         * experiments it writes; {@code experimentMarkers} are the parameter markers of those experiments' names
         * (bound before the rows' values) where {@link #namesExperiments}, else empty.
         */
        String overwrite(String quotedTable, String quotedColumn, List<String> experimentMarkers);

        /**
         * Whether {@link #overwrite} names the experiments it replaces (Delta's {@code REPLACE WHERE}), rather than
         * replacing the partitions its rows fall in (Spark's dynamic overwrite).
         */
        default boolean namesExperiments() {
            return false;
        }

        /** The table this overwrite is safe in, for the message that refuses another: {@code Parquet, PARTITIONED BY (experiment), …}. */
        String requirement();

        /** A statement whose rows describe {@code quotedTable}: its columns, partitioning, format and options. */
        String describe(String quotedTable);

        /**
         * Why writing the table described by {@code description} (the rows of {@link #describe}, each cell as
         * text, null as null) could replace other partitions' rows or put values in the wrong columns; empty when
         * it is a table {@link #tableClause} makes, with exactly {@code columns} (in order) and partitioned by
         * {@code partitionColumn} (the last of them).
         */
        Optional<String> problem(List<List<String>> description, List<String> columns, String partitionColumn);
    }
}
