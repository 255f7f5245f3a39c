package dev.pulse.sql.dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Databricks SQL (<a href="https://docs.databricks.com/en/sql/language-manual/index.html">its language manual</a>):
 * Spark SQL, so every query Pulse renders is {@link SparkDialect}'s, but the tables Pulse writes are Delta tables, and
 * values reach a statement through the JDBC driver's {@code ?} markers. What differs:
 * <ul>
 *   <li>tables Pulse creates are {@code USING DELTA} (Unity Catalog may refuse {@code USING parquet} for a managed
 *       table, and Delta is Databricks' default anyway);</li>
 *   <li>a staging table is replaced by one {@code CREATE OR REPLACE TABLE … AS}: one Delta commit, so readers see
 *       the old table or the new one (<a href="https://docs.databricks.com/en/sql/language-manual/sql-ref-syntax-ddl-create-table-using.html">CREATE
 *       TABLE [USING]</a>), not Spark's build-beside-and-rename;</li>
 *   <li>the results table's rows of the analysed experiments are replaced by one
 *       {@code INSERT INTO t REPLACE WHERE experiment IN (…) VALUES …}: one Delta commit that deletes the rows the
 *       predicate matches and inserts the new ones (<a href="https://docs.databricks.com/en/delta/selective-overwrite.html">selective
 *       overwrite</a>); no partitioning needed, and no session setting can widen it to other experiments, unlike
 *       {@code INSERT OVERWRITE} under a static partition overwrite mode;</li>
 *   <li>table names may have three parts, {@code catalog.schema.table} (Unity Catalog), each quoted with backticks.</li>
 * </ul>
 * CSV {@code path:} sources are not offered: the engine reads tables and {@code sql:} sources only (a query may
 * call {@code read_files(…)}).
 */
public final class DatabricksDialect extends SparkDialect {

    /** The one instance: the dialect has no settings. */
    public static final DatabricksDialect DEFAULT = new DatabricksDialect();

    private DatabricksDialect() {}

    @Override
    public String name() {
        return "databricks";
    }

    /** The JDBC driver's positional marker (Spark's named {@code :p0} is for {@code SparkSession.sql(text, args)}). */
    @Override
    public String parameter(int index) {
        return "?";
    }

    @Override
    public String createdTableStorage() {
        return "USING DELTA";
    }

    /** One Delta commit: readers see the old table until it, and a failure leaves it. */
    @Override
    public Optional<String> atomicReplaceTable(String quotedName, String select) {
        return Optional.of("CREATE OR REPLACE TABLE " + quotedName + " " + createdTableStorage() + " AS\n" + select);
    }

    /** Not yet: Spark's state is Parquet partitions; Delta would replace days with {@code REPLACE WHERE} (not written). */
    @Override
    public boolean keepsIncrementalState() {
        return false;
    }

    @Override
    public Optional<PartitionOverwrite> partitionOverwrite() {
        return Optional.of(DeltaReplaceWhere.INSTANCE);
    }

    /** Delta's {@code INSERT INTO … REPLACE WHERE}, in a Delta table with exactly Pulse's columns. */
    private enum DeltaReplaceWhere implements PartitionOverwrite {
        INSTANCE;

        @Override
        public String tableClause(String quotedColumn) {
            return "USING DELTA";
        }

        @Override
        public String overwrite(String quotedTable, String quotedColumn, List<String> experimentMarkers) {
            if (experimentMarkers.isEmpty()) {
                throw new IllegalArgumentException("a REPLACE WHERE names the experiments it replaces");
            }
            return "INSERT INTO " + quotedTable + " REPLACE WHERE " + quotedColumn + " IN ("
                    + String.join(", ", experimentMarkers) + ")";
        }

        @Override
        public boolean namesExperiments() {
            return true;
        }

        @Override
        public String requirement() {
            return "Delta, with Pulse's columns in its order";
        }

        @Override
        public String describe(String quotedTable) {
            return "DESCRIBE TABLE EXTENDED " + quotedTable;
        }

        /**
         * Reads {@code DESCRIBE TABLE EXTENDED}: the columns until the first blank or {@code #} row, then the
         * {@code Provider} row of {@code # Detailed Table Information}. Partitioning does not matter: the predicate,
         * not the partitions, says which rows are replaced.
         */
        @Override
        public Optional<String> problem(List<List<String>> description, List<String> columns, String partitionColumn) {
            List<String> tableColumns = new ArrayList<>();
            String provider = "";
            boolean inColumns = true;
            for (List<String> row : description) {
                String name = row.isEmpty() || row.get(0) == null ? "" : row.get(0).strip();
                String value = row.size() < 2 || row.get(1) == null ? "" : row.get(1).strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    inColumns = false;
                } else if (inColumns) {
                    tableColumns.add(name.toLowerCase(Locale.ROOT));
                } else if (name.equals("Provider")) {
                    provider = value.toLowerCase(Locale.ROOT);
                }
            }
            List<String> problems = new ArrayList<>();
            if (!provider.equals("delta")) {
                problems.add("its format is " + (provider.isEmpty() ? "unknown" : provider) + ", not delta");
            }
            List<String> expected = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
            if (!tableColumns.equals(expected)) {
                problems.add("its columns are " + tableColumns + ", not " + expected);
            }
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        }
    }
}
