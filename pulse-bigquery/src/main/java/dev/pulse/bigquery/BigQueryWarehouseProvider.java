package dev.pulse.bigquery;

import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.WarehouseProvider;

/** Opens {@code engine: bigquery} warehouses; registered in {@code META-INF/services}. */
public final class BigQueryWarehouseProvider implements WarehouseProvider {

    @Override
    public Engine engine() {
        return Engine.BIGQUERY;
    }

    @Override
    public Warehouse open(WarehouseConfig config) {
        return BigQueryWarehouse.open(config);
    }
}
