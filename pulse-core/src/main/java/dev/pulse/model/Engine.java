package dev.pulse.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The warehouse engines Pulse can run its SQL on, each with the facts that config validation, the tests and
 * the docs read (docs/architecture.md#adding-an-engine): its config name, whether it reads files, how it is
 * reached (and so which {@code warehouse:} keys it takes), and its optional abilities.
 */
public enum Engine {
    DUCKDB("duckdb", true, Connection.EMBEDDED, Optional.empty(),
            EnumSet.of(Ability.TRANSACTIONAL_REPLACE, Ability.ORDERED_AGGREGATES), Cancel.JDBC_STATEMENT),
    POSTGRES("postgres", false, Connection.SERVER, Optional.of("jdbc:postgresql:"),
            EnumSet.of(Ability.TRANSACTIONAL_REPLACE, Ability.ORDERED_AGGREGATES), Cancel.JDBC_STATEMENT),
    SPARK("spark", true, Connection.SESSION, Optional.empty(),
            EnumSet.of(Ability.PARTITION_OVERWRITE, Ability.ORDERED_AGGREGATES), Cancel.JOB_GROUP),
    /** Trino (and Starburst; Athena's engine speaks its SQL): no transactional DDL in its connectors, no overwrite. */
    TRINO("trino", false, Connection.SERVER, Optional.of("jdbc:trino:"),
            EnumSet.of(Ability.ORDERED_AGGREGATES), Cancel.JDBC_STATEMENT),
    /** DDL commits on its own (no transactional replace), but CREATE OR REPLACE is atomic; docs/snowflake.md. */
    SNOWFLAKE("snowflake", false, Connection.SERVER, Optional.of("jdbc:snowflake:"),
            EnumSet.of(Ability.ATOMIC_REPLACE, Ability.ORDERED_AGGREGATES), Cancel.JDBC_STATEMENT),
    /** Transactional DDL, but no ordered aggregates beyond one sort order per statement; docs/redshift.md. */
    REDSHIFT("redshift", false, Connection.SERVER, Optional.of("jdbc:redshift:"),
            EnumSet.of(Ability.TRANSACTIONAL_REPLACE), Cancel.JDBC_STATEMENT),
    /** Google's client library; no DDL in transactions, but CREATE OR REPLACE is atomic; docs/bigquery.md. */
    BIGQUERY("bigquery", false, Connection.CLIENT_LIBRARY, Optional.empty(),
            EnumSet.of(Ability.ATOMIC_REPLACE, Ability.ORDERED_AGGREGATES), Cancel.QUERY_JOB),
    /** Databricks SQL warehouses: Spark SQL over Delta tables (atomic CREATE OR REPLACE, REPLACE WHERE); docs/databricks.md. */
    DATABRICKS("databricks", false, Connection.SERVER, Optional.of("jdbc:databricks:"),
            EnumSet.of(Ability.PARTITION_OVERWRITE, Ability.ATOMIC_REPLACE, Ability.ORDERED_AGGREGATES),
            Cancel.JDBC_STATEMENT);

    /** How Pulse reaches the engine, and the {@code warehouse:} keys that entails. */
    public enum Connection {
        /** In this process, on a database file or in memory: {@code database}. */
        EMBEDDED(List.of("database")),
        /** A server through JDBC: {@code url}, {@code user}, and the password from {@code password_env}. */
        SERVER(List.of("url", "user", "password_env")),
        /** A session in this JVM that the engine starts (Spark): {@code master} and {@code conf}. */
        SESSION(List.of("master", "conf")),
        /**
         * The vendor's client library in this process, with its standard credential chain (BigQuery: Application
         * Default Credentials): {@code project}, {@code location}, {@code dataset}, {@code labels},
         * {@code maximum_bytes_billed}.
         */
        CLIENT_LIBRARY(List.of("project", "location", "dataset", "labels", "maximum_bytes_billed"));

        private final List<String> keys;

        Connection(List<String> keys) {
            this.keys = keys;
        }

        /** The {@code warehouse:} keys of this kind of connection. */
        public List<String> keys() {
            return keys;
        }
    }

    /** Optional abilities, each backed by the engine's dialect (checked by a test). */
    public enum Ability {
        /** Replacing the results table is one transaction with the DDL inside it (docs/staging-and-results-tables.md). */
        TRANSACTIONAL_REPLACE,
        /** The results table is partitioned by run and a run overwrites only its own partition. */
        PARTITION_OVERWRITE,
        /**
         * Aggregates over rows in an order of their own, several orders in one statement: the quantiles of percentile
         * metrics and of winsorization caps, and the value at the first or last row of first_value and latest_value
         * metrics. Without it config validation refuses those metrics and options, naming the engine.
         */
        ORDERED_AGGREGATES,
        /**
         * One statement replaces a table atomically ({@code CREATE OR REPLACE TABLE … AS}), without a transaction
         * (Snowflake, BigQuery): staging tables are replaced by it.
         */
        ATOMIC_REPLACE
    }

    /** How a running query is cancelled (Ctrl-C, a timeout, {@code pulse serve}'s cancel). */
    public enum Cancel {
        /** {@code java.sql.Statement.cancel} from another thread. */
        JDBC_STATEMENT,
        /** The session's job group, {@code SparkContext.cancelJobGroup}. */
        JOB_GROUP,
        /** The running query job is cancelled through the client library ({@code BigQuery.cancel(jobId)}). */
        QUERY_JOB
    }

    private final String configName;
    private final boolean readsFiles;
    private final Connection connection;
    private final Optional<String> urlPrefix;
    private final Set<Ability> abilities;
    private final Cancel cancel;

    Engine(String configName, boolean readsFiles, Connection connection, Optional<String> urlPrefix,
           Set<Ability> abilities, Cancel cancel) {
        this.configName = configName;
        this.readsFiles = readsFiles;
        this.connection = connection;
        this.urlPrefix = urlPrefix;
        this.abilities = abilities;
        this.cancel = cancel;
    }

    /** Its name in {@code warehouse: {engine: …}}. */
    public String configName() {
        return configName;
    }

    /** Whether sources may be files ({@code path:}), or only tables and queries. */
    public boolean readsFiles() {
        return readsFiles;
    }

    public Connection connection() {
        return connection;
    }

    /** For a server engine, the prefix its JDBC URL must have ({@code jdbc:postgresql:}). */
    public Optional<String> urlPrefix() {
        return urlPrefix;
    }

    /** For a server engine, a JDBC URL of the form its vendor documents, for messages and hints. */
    public Optional<String> exampleUrl() {
        return switch (this) {
            case DUCKDB, SPARK, BIGQUERY -> Optional.empty();
            case POSTGRES -> Optional.of("jdbc:postgresql://127.0.0.1:5432/analytics");
            case TRINO -> Optional.of("jdbc:trino://trino.example.com:443/hive/analytics?SSL=true");
            case SNOWFLAKE -> Optional.of("jdbc:snowflake://myorg-myaccount.snowflakecomputing.com/?db=ANALYTICS&warehouse=PULSE_WH");
            case REDSHIFT -> Optional.of("jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/analytics");
            case DATABRICKS -> Optional.of("jdbc:databricks://dbc-a1b2c3d4-e5f6.cloud.databricks.com:443/default;"
                    + "httpPath=/sql/1.0/warehouses/1234567890abcdef");
        };
    }

    /** For a server engine, an environment variable name to suggest for its password. */
    public String examplePasswordVariable() {
        return this == POSTGRES ? "PGPASSWORD" : configName.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
    }

    public boolean has(Ability ability) {
        return abilities.contains(ability);
    }

    public Cancel cancel() {
        return cancel;
    }

    /** The engine named {@code name} in a config, if any. */
    public static Optional<Engine> ofConfigName(String name) {
        return Arrays.stream(values()).filter(engine -> engine.configName.equals(name)).findFirst();
    }

    /** Every engine's config name, in declaration order: for messages and docs. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(Engine::configName).toList();
    }
}
