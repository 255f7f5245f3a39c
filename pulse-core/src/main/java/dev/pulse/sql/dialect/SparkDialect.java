package dev.pulse.sql.dialect;

import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Spark SQL 4 (<a href="https://spark.apache.org/docs/latest/sql-ref-identifier.html">identifiers</a>,
 * <a href="https://spark.apache.org/docs/latest/sql-ref-literals.html">literals</a>): backtick-quoted
 * identifiers (Spark cannot parse a double-quoted {@code "group"}), string literals with backslash
 * escapes, {@code TIMESTAMP '…'} literals, {@code STRING} and {@code DOUBLE} casts, Parquet files as
 * the relation {@code parquet.`path`}
 * (<a href="https://spark.apache.org/docs/latest/sql-data-sources-load-save-functions.html#run-sql-on-files-directly">run
 * SQL on files directly</a>).
 *
 * <p>Time zones: a {@code TIMESTAMP '…'} literal is read in the session time zone, which the Spark
 * warehouse sets to UTC ({@code spark.sql.session.timeZone}), so it is the UTC wall-clock time Pulse
 * means, and compares correctly with both {@code TIMESTAMP} and {@code TIMESTAMP_NTZ} columns.
 *
 * <p>CSV files are read through a temporary view ({@link #fileSetup}): {@code csv.`path`} would read the
 * header line as data and name the columns {@code _c0, _c1, …}, and Spark SQL has no documented table
 * function that takes a header option. A view created {@code USING csv} with options infers the schema once,
 * where an inline relation would infer it again in every statement.
 */
public class SparkDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final SparkDialect DEFAULT = new SparkDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** For {@link DatabricksDialect}, which is Spark SQL with Delta tables. */
    SparkDialect() {}

    @Override
    public String name() {
        return "spark";
    }

    /** Backticks; a backtick inside the name is doubled. */
    @Override
    public String quoteIdentifier(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /**
     * Spark reads backslash escapes in string literals, so a backslash is doubled and a quote escaped with one.
     * Spark's lexer pairs a backslash with the next character under every setting, so no value ends the literal
     * early; {@code spark.sql.parser.escapedStringLiterals} on would keep the escapes in the value, so the Spark
     * warehouse sets it off. Only values from the config are literals; values from the data are bound as
     * parameters.
     */
    @Override
    public String stringLiteral(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    /**
     * A named marker, {@code :p0}, {@code :p1}, … (bound by {@code SparkSession.sql(text, Map)}). Spark 4.2 bound
     * positional {@code ?} markers to other markers' values in a level-quantiles statement of 240 markers inside
     * {@code WITHIN GROUP (ORDER BY …)} (other groups' quantiles came back; {@code SparkBoundLevelsTest}); names
     * bind each value to its own marker.
     */
    @Override
    public String parameter(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a negative parameter index: " + index);
        }
        return ":p" + index;
    }

    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant));
    }

    /**
     * {@code parquet.`location`} (globs allowed); for CSV the temporary view {@link #fileSetup} registers,
     * named {@code pulse_csv_} and a hash of the location, so that every statement of a run names the same view.
     */
    @Override
    public String fileRelation(Relation.Files files) {
        return switch (files.format()) {
            case PARQUET -> "parquet." + quoteIdentifier(files.location());
            case CSV -> quoteIdentifier(csvView(files.location()));
        };
    }

    /**
     * For a CSV location: {@code CREATE OR REPLACE TEMPORARY VIEW `pulse_csv_…` USING csv OPTIONS (…)}
     * (<a href="https://spark.apache.org/docs/latest/sql-data-sources-csv.html">CSV options</a>), read as DuckDB's
     * {@code read_csv} with auto-detection reads an RFC 4180 file: the first line is the header
     * ({@code header}); column types are inferred from all rows ({@code inferSchema}), so timestamps such as
     * {@code 2026-03-01 10:00:00} (or with an offset, {@code +02}) are TIMESTAMP in the session's UTC, whole
     * numbers INT or BIGINT, decimals DOUBLE, {@code 2026-03-01} DATE; empty fields, quoted or not, are NULL
     * (Spark's {@code nullValue} and DuckDB's default); a quote inside a quoted field is doubled
     * ({@code escape '"'}; Spark's default is a backslash); a row that does not fit the schema — a missing field,
     * a line break inside a quoted field — fails the statement ({@code mode 'FAILFAST'}) instead of becoming
     * NULLs. The location may be a glob or a directory, and {@code .csv.gz} files are decompressed. Spark
     * checks that the location exists when the view is created.
     */
    @Override
    public List<String> fileSetup(Relation.Files files) {
        return switch (files.format()) {
            case PARQUET -> List.of();
            case CSV -> List.of("CREATE OR REPLACE TEMPORARY VIEW " + quoteIdentifier(csvView(files.location()))
                    + " USING csv OPTIONS (path " + stringLiteral(files.location()) + ", header 'true', inferSchema 'true', "
                    + "escape '\"', mode 'FAILFAST')");
        };
    }

    /** {@code pulse_csv_} and 16 hex digits of the location's SHA-256: a name Spark accepts for any location. */
    private static String csvView(String location) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
            return "pulse_csv_" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS STRING)";
    }

    /**
     * {@code UTF8_BINARY} compares the bytes, also when the session's default collation is another
     * (<a href="https://spark.apache.org/docs/latest/sql-ref-collation.html">collations</a>).
     */
    @Override
    public String codePointOrder(String textExpression) {
        return textExpression + " COLLATE UTF8_BINARY";
    }

    /** A day-time interval: exactly n × 24 hours, the session being in UTC. */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " - INTERVAL " + days + " DAY)";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " + INTERVAL " + days + " DAY)";
    }

    /**
     * {@code MIN_BY(value, order)} skips rows whose order is NULL but, unlike DuckDB's {@code ARG_MIN},
     * not rows whose value is NULL (<a href="https://spark.apache.org/docs/latest/api/sql/#min_by">min_by</a>):
     * the order is made NULL where the value is, so both ignore NULL values.
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "MIN_BY(" + value + ", CASE WHEN " + value + " IS NOT NULL THEN " + order + " END)";
    }

    /**
     * {@code MIN_BY} over {@code STRUCT(order, −value)} (structs compare field by field): the least order,
     * ties to the greatest value, so the pick is deterministic; {@code FILTER} leaves out the NULL values
     * (<a href="https://spark.apache.org/docs/latest/api/sql/#min_by">min_by</a>).
     */
    @Override
    public String firstValue(String value, String order) {
        return "MIN_BY(" + value + ", STRUCT(" + order + ", -(" + value + "))) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /** {@code MAX_BY} over {@code STRUCT(order, value)}, NULL values filtered out, as {@link #firstValue}. */
    @Override
    public String latestValue(String value, String order) {
        return "MAX_BY(" + value + ", STRUCT(" + order + ", " + value + ")) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /** {@code DATEDIFF} of the UTC dates (the session time zone): whole days from the midnight {@code start}. */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "DATEDIFF(CAST(" + timestamp + " AS DATE), DATE '" + start.atZone(ZoneOffset.UTC).toLocalDate() + "')";
    }

    /** The table function {@code range(0, count)}, whose column {@code id} is renamed by the alias. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "range(0, " + count + ") AS " + alias + "(" + column + ")";
    }

    /**
     * {@code PERCENTILE(expression, f)}: the exact percentile, interpolating linearly between the values at
     * 0-based positions ⌊(n − 1)f⌋ and ⌈(n − 1)f⌉, NULLs ignored (type 7, as DuckDB's {@code quantile_cont}):
     * <a href="https://spark.apache.org/docs/latest/api/sql/#percentile">percentile</a>.
     */
    @Override
    public String quantile(String expression, double fraction) {
        return "PERCENTILE(" + expression + ", " + fraction(fraction) + ")";
    }

    /**
     * {@code PERCENTILE_DISC(f * (1 - 1e-12)) WITHIN GROUP (ORDER BY expression)}: x_k with
     * k = max(1, ⌈n·f⌉), NULLs ignored. Like PostgreSQL, Spark computes ⌈n·f⌉ in double precision, where
     * 0.07 × 100 rounds up to rank 8; shrinking f by the relative 1e-12 keeps exact integers exact (see
     * {@link PostgresDialect#discreteQuantile} for the bound). Checked against DuckDB's
     * {@code QUANTILE_DISC} over a grid of sizes and fractions in the pulse-spark tests.
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        String f = fraction(fraction);
        String shrunk = fraction == 0 ? f : f + " * (1 - 1e-12)";
        return "PERCENTILE_DISC(" + shrunk + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    private static String fraction(double fraction) {
        Arguments.fraction(fraction);
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    /** {@code STRING} and {@code DOUBLE}: Spark reads neither a {@code VARCHAR} without a length nor {@code DOUBLE PRECISION}. */
    @Override
    public String columnType(TableStatements.ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case TEXT -> "STRING";
            // Spark's TIMESTAMP is an instant (shown in the session's time zone, UTC in Pulse's session)
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMP";
        };
    }

    /** Spark runs each statement on its own: no DDL transactions ({@link TableStatements#replaceTable} swaps by renaming). */
    @Override
    public boolean transactionalDdl() {
        return false;
    }

    /**
     * {@code RAND(0)}: Spark's optimizer (its {@code InlineCTE} rule) inlines every deterministic CTE at each
     * reference, and column pruning then gives each copy its own aggregate over its own scan; a CTE with a
     * non-deterministic column it keeps, prunes to the columns all readers need, and plans as one shuffle that the
     * other readers reuse. The column is never read (the seed keeps it reproducible all the same).
     */
    @Override
    public Optional<String> computeOnceMarker() {
        return Optional.of("RAND(0)");
    }

    /**
     * {@code USING parquet}: plain Parquet, whatever the session's default source or a Hive-enabled catalog would
     * pick (Hive text tables, or Delta on some platforms), so the swap's statements mean the same everywhere.
     */
    @Override
    public String createdTableStorage() {
        return "USING parquet";
    }

    /**
     * Without transactions (docs/spark.md#incremental-refreshes-on-spark): the state's tables are Parquet, its day
     * tables partitioned by day and replaced a day partition at a time, and the refresh marks the state incomplete
     * in its meta table until it has written everything.
     */
    @Override
    public boolean keepsIncrementalState() {
        return true;
    }

    /**
     * {@code USING parquet}, and for a table with days {@code PARTITIONED BY (day)} with the storage option
     * {@code partitionOverwriteMode=dynamic} (as the results table, {@link DynamicPartitionOverwrite}), so that
     * {@link #replaceStateDays}' {@code INSERT OVERWRITE} replaces only the days it writes whatever the session says.
     */
    @Override
    public String stateTableStorage(Optional<String> quotedDay) {
        return quotedDay.map(DynamicPartitionOverwrite.INSTANCE::tableClause).orElse(createdTableStorage());
    }

    /**
     * Spark cannot DELETE from a Parquet table: the days from {@code fromDay} to {@code lastDay} are dropped
     * ({@code ALTER TABLE … DROP IF EXISTS PARTITION (day = k), …}: Spark's partition specs take only equalities, so
     * each day is named), then the new rows are written by a dynamic partition overwrite, {@code INSERT OVERWRITE …
     * PARTITION (day) BY NAME} (by name: Spark moves a partition column to the end of the table's columns). The drop
     * is what empties a day the new rows no longer have, which an overwrite alone would keep: a dynamic overwrite
     * replaces only the partitions its rows fall in (checked on Spark 4.2; a predicate such as {@code PARTITION (day
     * >= 5)} and Delta's {@code REPLACE WHERE} are refused for these tables). Each statement commits on its own.
     */
    @Override
    public List<String> replaceStateDays(String quotedTable, String quotedDay, int fromDay, Optional<Integer> lastDay,
                                         String select) {
        List<String> statements = new ArrayList<>();
        if (lastDay.isPresent() && lastDay.get() >= fromDay) {
            List<String> days = new ArrayList<>();
            for (int day = fromDay; day <= lastDay.get(); day++) {
                days.add("PARTITION (" + quotedDay + " = " + day + ")");
            }
            statements.add("ALTER TABLE " + quotedTable + " DROP IF EXISTS " + String.join(", ", days));
        }
        statements.add("INSERT OVERWRITE TABLE " + quotedTable + " PARTITION (" + quotedDay + ") BY NAME\n" + select);
        return List.copyOf(statements);
    }

    /**
     * The days from {@code fromDay} on dropped as in {@link #replaceStateDays}, then the new rows appended with
     * {@code INSERT INTO … PARTITION (day) BY NAME}: Spark refuses to overwrite a table its query reads, and
     * {@code select} reads the days this table keeps. After the drop the table holds only days before
     * {@code fromDay} and the new rows only later ones, so appending them is the overwrite's result.
     */
    @Override
    public List<String> addStateDays(String quotedTable, String quotedDay, int fromDay, Optional<Integer> lastDay,
                                     String select) {
        List<String> statements = new ArrayList<>(replaceStateDays(quotedTable, quotedDay, fromDay, lastDay, select));
        statements.set(statements.size() - 1, "INSERT INTO TABLE " + quotedTable + " PARTITION (" + quotedDay
                + ") BY NAME\n" + select);
        return List.copyOf(statements);
    }

    /**
     * One {@code INSERT OVERWRITE TABLE} (Spark cannot DELETE from a Parquet table), or {@code TRUNCATE TABLE} for no
     * rows. The query may not read the table it replaces (Spark refuses to overwrite a table it reads).
     */
    @Override
    public List<String> replaceStateRows(String quotedTable, Optional<String> query) {
        return List.of(query.map(rows -> "INSERT OVERWRITE TABLE " + quotedTable + "\n" + rows)
                .orElse("TRUNCATE TABLE " + quotedTable));
    }

    @Override
    public Optional<PartitionOverwrite> partitionOverwrite() {
        return Optional.of(DynamicPartitionOverwrite.INSTANCE);
    }

    /**
     * A Parquet table partitioned by one column with the storage option {@code partitionOverwriteMode=dynamic}:
     * {@code INSERT OVERWRITE … PARTITION (column)} then replaces only the partitions it writes. Spark reads that
     * option before the session's {@code spark.sql.sources.partitionOverwriteMode}, whose default, {@code static},
     * would delete every other partition (<a href="https://spark.apache.org/docs/latest/configuration.html">the
     * setting's documentation</a>: the option "takes precedence over this setting"; checked on Spark 4.2 with a
     * static session). Only the file sources write through that path, so Delta, Iceberg and Hive-format tables are
     * refused rather than trusted.
     */
    private enum DynamicPartitionOverwrite implements PartitionOverwrite {
        INSTANCE;

        private static final List<String> FILE_FORMATS = List.of("parquet", "orc");
        private static final String OPTION = "partitionOverwriteMode";

        @Override
        public String tableClause(String quotedColumn) {
            return "USING parquet PARTITIONED BY (" + quotedColumn + ") OPTIONS ('" + OPTION + "' 'dynamic')";
        }

        @Override
        public String overwrite(String quotedTable, String quotedColumn, List<String> experimentMarkers) {
            return "INSERT OVERWRITE TABLE " + quotedTable + " PARTITION (" + quotedColumn + ")";
        }

        @Override
        public String requirement() {
            return "Parquet, PARTITIONED BY (experiment), OPTIONS ('" + OPTION + "' 'dynamic')";
        }

        @Override
        public String describe(String quotedTable) {
            return "DESCRIBE TABLE EXTENDED " + quotedTable;
        }

        /**
         * Reads {@code DESCRIBE TABLE EXTENDED}: the columns first, then {@code # Partition Information} (a header
         * row {@code # col_name}, the partition columns), then {@code # Detailed Table Information} with the
         * {@code Provider} and {@code Storage Properties} ({@code [partitionOverwriteMode=dynamic, …]}).
         */
        @Override
        public Optional<String> problem(List<List<String>> description, List<String> columns, String partitionColumn) {
            List<String> tableColumns = new ArrayList<>();
            List<String> partitionColumns = new ArrayList<>();
            String provider = "";
            String storage = "";
            List<String> section = tableColumns;
            for (List<String> row : description) {
                String name = row.isEmpty() || row.get(0) == null ? "" : row.get(0).strip();
                String value = row.size() < 2 || row.get(1) == null ? "" : row.get(1).strip();
                if (name.equals("# Partition Information")) {
                    section = partitionColumns;
                } else if (name.startsWith("# Detailed")) {
                    section = null;
                } else if (name.isEmpty()) { // a blank row ends the columns and the partition columns
                    section = null;
                } else if (!name.startsWith("#") && section != null) {
                    section.add(name.toLowerCase(Locale.ROOT));
                } else if (section == null && name.equals("Provider")) {
                    provider = value.toLowerCase(Locale.ROOT);
                } else if (section == null && name.equals("Storage Properties")) {
                    storage = value;
                }
            }
            List<String> problems = new ArrayList<>();
            if (!FILE_FORMATS.contains(provider)) {
                problems.add("its format is " + (provider.isEmpty() ? "unknown" : provider) + ", not parquet (or orc)");
            }
            if (!partitionColumns.equals(List.of(partitionColumn))) {
                problems.add(partitionColumns.isEmpty() ? "it is not partitioned by " + partitionColumn
                        : "it is partitioned by " + partitionColumns + ", not by " + partitionColumn + " alone");
            }
            if (!dynamicOverwrite(storage)) {
                problems.add("it lacks the option '" + OPTION + "' 'dynamic' (without it INSERT OVERWRITE deletes every "
                        + "other experiment's rows unless the session says otherwise)");
            }
            List<String> expected = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
            if (!tableColumns.equals(expected)) {
                problems.add("its columns are " + tableColumns + ", not " + expected);
            }
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        }

        /** Whether {@code [key=value, …]} sets the option (its key, like Spark's option map, in any case) to dynamic. */
        private static boolean dynamicOverwrite(String storageProperties) {
            String text = storageProperties.startsWith("[") && storageProperties.endsWith("]")
                    ? storageProperties.substring(1, storageProperties.length() - 1) : storageProperties;
            for (String property : text.split(", ")) {
                int equals = property.indexOf('=');
                if (equals > 0 && property.substring(0, equals).strip().equalsIgnoreCase(OPTION)
                        && property.substring(equals + 1).strip().equalsIgnoreCase("dynamic")) {
                    return true;
                }
            }
            return false;
        }
    }
}
