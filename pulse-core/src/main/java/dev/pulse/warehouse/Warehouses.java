package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.util.ServiceLoader;

/** Opens the warehouse a config names: the one place that maps an engine to its connection. */
public final class Warehouses {

    private Warehouses() {}

    /**
     * The warehouse of {@code config}, connected. DuckDB and PostgreSQL are built in; Spark and BigQuery
     * come from a {@link WarehouseProvider} on the classpath ({@code pulse-spark.jar}; the {@code pulse-bigquery}
     * module, which the {@code pulse} jar carries).
     *
     * @throws PulseException WAREHOUSE_FAILED when it cannot be reached, or when no provider for its engine
     *                        is on the classpath; CONFIG_INVALID when a password variable is missing
     */
    public static Warehouse open(WarehouseConfig config) {
        return switch (config.engine()) {
            case DUCKDB -> DuckDbWarehouse.open(config);
            case POSTGRES -> PostgresWarehouse.open(config);
            case SPARK -> provided(Engine.SPARK).open(config);
            case TRINO -> TrinoWarehouse.open(config);
            case SNOWFLAKE -> SnowflakeWarehouse.open(config);
            case REDSHIFT -> RedshiftWarehouse.open(config);
            case BIGQUERY -> provided(Engine.BIGQUERY).open(config);
            case DATABRICKS -> DatabricksWarehouse.open(config);
        };
    }

    private static WarehouseProvider provided(Engine engine) {
        for (WarehouseProvider provider : ServiceLoader.load(WarehouseProvider.class, Warehouses.class.getClassLoader())) {
            if (provider.engine() == engine) {
                return provider;
            }
        }
        if (engine == Engine.BIGQUERY) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "engine bigquery needs the pulse-bigquery "
                    + "module on the classpath, which the pulse jar carries: run the pulse jar built by pulse-cli; see docs/bigquery.md");
        }
        throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "engine spark runs through spark-submit "
                + "with pulse-spark.jar, not this pulse jar (it has no Spark in it): spark-submit --class "
                + "dev.pulse.spark.PulseSpark pulse-spark/target/pulse-spark.jar analyze --config …; see docs/spark.md");
    }
}
