package dev.pulse.spark;

import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.WarehouseProvider;

/** Registers {@link SparkWarehouse} for {@code engine: spark} (META-INF/services). */
public final class SparkWarehouseProvider implements WarehouseProvider {

    @Override
    public Engine engine() {
        return Engine.SPARK;
    }

    @Override
    public Warehouse open(WarehouseConfig config) {
        return SparkWarehouse.open(config);
    }
}
