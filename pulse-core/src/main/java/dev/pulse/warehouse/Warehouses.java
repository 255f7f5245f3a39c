package dev.pulse.warehouse;

import dev.pulse.model.WarehouseConfig;

/** Opens the warehouse a config names: the one place that maps an engine to its connection. */
public final class Warehouses {

    private Warehouses() {}

    /**
     * The warehouse of {@code config}, connected.
     *
     * @throws dev.pulse.error.PulseException WAREHOUSE_FAILED when it cannot be reached; SQL_UNSUPPORTED
     *                                        for an engine Pulse cannot run on yet; CONFIG_INVALID when a
     *                                        password variable is missing
     */
    public static Warehouse open(WarehouseConfig config) {
        return switch (config.engine()) {
            case DUCKDB -> DuckDbWarehouse.open(config);
            case POSTGRES -> PostgresWarehouse.open(config);
            case SPARK -> throw new dev.pulse.error.PulseException(dev.pulse.error.PulseException.Category.SQL_UNSUPPORTED,
                    "the spark warehouse is not available in this build");
        };
    }
}
