package dev.pulse.warehouse;

import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

/**
 * A warehouse that lives in another module and is found with {@link java.util.ServiceLoader}: the Spark
 * warehouse, whose classes (and Spark itself) are only on the classpath of {@code pulse-spark.jar} under
 * {@code spark-submit}, never in the default {@code pulse} jar. A module registers its provider in
 * {@code META-INF/services/dev.pulse.warehouse.WarehouseProvider}.
 */
public interface WarehouseProvider {

    /** The engine this provider opens. */
    Engine engine();

    /**
     * The warehouse of {@code config}, whose engine is {@link #engine()}, connected.
     *
     * @throws dev.pulse.error.PulseException WAREHOUSE_FAILED when it cannot be started or reached
     */
    Warehouse open(WarehouseConfig config);
}
