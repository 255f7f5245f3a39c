package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.util.ServiceLoader;

/** Opens the warehouse a config names: the one place that maps an engine to its connection. */
public final class Warehouses {

    private Warehouses() {}

    /**
     * The warehouse of {@code config}, connected. DuckDB and PostgreSQL are built in; Spark comes from a
     * {@link WarehouseProvider} on the classpath ({@code pulse-spark.jar}).
     *
     * @throws PulseException WAREHOUSE_FAILED when it cannot be reached, or when no provider for its engine
     *                        is on the classpath; CONFIG_INVALID when a password variable is missing
     */
    public static Warehouse open(WarehouseConfig config) {
        return switch (config.engine()) {
            case DUCKDB -> DuckDbWarehouse.open(config);
            case POSTGRES -> PostgresWarehouse.open(config);
            case SPARK -> provided(Engine.SPARK).open(config);
            case DATABRICKS -> DatabricksWarehouse.open(config);
        };
    }

    private static WarehouseProvider provided(Engine engine) {
        for (WarehouseProvider provider : ServiceLoader.load(WarehouseProvider.class, Warehouses.class.getClassLoader())) {
            if (provider.engine() == engine) {
                return provider;
            }
        }
        throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "engine spark runs through spark-submit "
                + "with pulse-spark.jar, not this pulse jar (it has no Spark in it): spark-submit --class "
                + "dev.pulse.spark.PulseSpark pulse-spark/target/pulse-spark.jar analyze --config …; see docs/spark.md");
    }
}
