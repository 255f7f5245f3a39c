package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.error.PulseException;
import dev.pulse.warehouse.Warehouse;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Spark runs exactly one statement per call: {@code spark.sql} parses a single statement, so a text of two
 * is refused whole, quoted or commented as it may be, and nothing of it runs (no table appears).
 */
class SparkOneStatementTest {

    @Test
    void aTextOfTwoStatementsIsRefusedAndNothingOfItRuns() {
        Warehouse spark = TestSpark.warehouse();
        for (String sql : List.of(
                "SELECT 1; CREATE TABLE pulse_pwned (x INT) USING parquet",
                "SELECT 'a\\''; CREATE TABLE pulse_pwned (x INT) USING parquet",
                "SELECT 1 /* /* */ */; CREATE TABLE pulse_pwned (x INT) USING parquet",
                "CREATE TABLE pulse_pwned (x INT) USING parquet; SELECT 1")) {
            PulseException failure = assertThrows(PulseException.class, () -> spark.query(sql), sql);
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
            assertThrows(PulseException.class, () -> spark.execute(sql), sql);
        }
        assertFalse(TestSpark.session().catalog().tableExists("pulse_pwned"), "a refused text ran");
    }
}
