package dev.pulse.sql.dialect;

import dev.pulse.model.Engine;
import dev.pulse.sql.Dialect;

/** The dialect of each engine: the one place that maps engine to SQL flavour. */
public final class Dialects {

    private Dialects() {}

    /** The dialect of {@code engine}. */
    public static Dialect forEngine(Engine engine) {
        return switch (engine) {
            case DUCKDB -> DuckDbDialect.DEFAULT;
            case POSTGRES -> PostgresDialect.DEFAULT;
            case SPARK -> SparkDialect.DEFAULT;
            case TRINO -> TrinoDialect.DEFAULT;
            case SNOWFLAKE -> SnowflakeDialect.DEFAULT;
            case REDSHIFT -> RedshiftDialect.DEFAULT;
            case BIGQUERY -> BigQueryDialect.DEFAULT;
            case DATABRICKS -> DatabricksDialect.DEFAULT;
        };
    }
}
