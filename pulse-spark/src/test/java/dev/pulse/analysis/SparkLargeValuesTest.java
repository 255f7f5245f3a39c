package dev.pulse.analysis;

import dev.pulse.model.PulseConfig;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.spark.TestSpark;
import dev.pulse.warehouse.Warehouse;

import org.junit.jupiter.api.Test;

/**
 * {@link LargeValuesTest} on Spark ({@code local[2]}): the same rows as temporary views, and the same checks
 * against the {@code BigDecimal} reference and the offset-free results, at offsets 0, 10⁶, 10⁹, 10¹² and −10⁹.
 */
class SparkLargeValuesTest {

    @Test
    void sparkMatchesTheReferenceAtEveryOffset() throws Exception {
        Warehouse spark = TestSpark.warehouse();
        LargeValuesTest.load(spark, "CREATE OR REPLACE TEMPORARY VIEW %s AS SELECT * FROM VALUES %s AS t(%s)",
                "CAST(%s AS DOUBLE)");
        PulseConfig config = LargeValuesTest.config();
        LargeValuesTest.assertMatchesReference(new PulseConfig(config.file(), WarehouseConfig.spark(SparkSettings.FROM_SUBMIT),
                config.sources(), config.metrics(), config.experiments()), spark);
    }
}
