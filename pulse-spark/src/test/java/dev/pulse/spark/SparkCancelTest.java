package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.warehouse.Warehouse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link SparkWarehouse#cancel}: the session's running job stops, the cancelled warehouse refuses later
 * statements, and the session stays usable by another warehouse.
 */
class SparkCancelTest {

    @Test
    void cancelStopsTheRunningQuery() throws Exception {
        Warehouse warehouse = TestSpark.warehouse();
        // 1e11 rows: minutes in local[2]
        CompletableFuture<Object> query = CompletableFuture.supplyAsync(
                () -> warehouse.query("SELECT sum(id % 7) AS s FROM range(100000000000)"));
        // the first query of a JVM spends seconds planning and compiling: wait for its job to run
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TestSpark.session().sparkContext().statusTracker().getActiveJobIds().length == 0) {
            assertTrue(System.nanoTime() < deadline && !query.isDone(), "no Spark job started");
            Thread.sleep(50);
        }
        long cancelled = System.nanoTime();
        warehouse.cancel();
        try {
            query.get(20, TimeUnit.SECONDS);
            throw new AssertionError("the query returned; it should have been cancelled");
        } catch (ExecutionException e) {
            PulseException failure = (PulseException) e.getCause();
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled);
        assertTrue(millis < 10_000, "cancel took " + millis + " ms");
        PulseException refused = org.junit.jupiter.api.Assertions.assertThrows(PulseException.class,
                () -> warehouse.query("SELECT 1 AS one"));
        assertTrue(refused.getMessage().contains("cancelled"), refused.getMessage());
        assertEquals(1L, ((Number) TestSpark.warehouse().query("SELECT 1 AS one").rows().get(0).get("one")).longValue());
    }
}
