package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pulse.error.PulseException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What {@link Warehouse#cancel} must do on every JDBC warehouse, given a query that runs for a minute or more. */
final class Cancelling {
    private Cancelling() {}

    /**
     * Cancels {@code slowQuery} a second after it started, from this thread: the query fails within seconds with
     * WAREHOUSE_FAILED and the warehouse's own message ({@code interrupted}), and later statements are refused.
     */
    static void abortsTheQueryInFlight(Warehouse warehouse, String slowQuery, String interrupted) throws Exception {
        CompletableFuture<Object> query = CompletableFuture.supplyAsync(() -> warehouse.query(slowQuery));
        Thread.sleep(1_000); // long enough for the query to be under way, far shorter than it runs
        long cancelled = System.nanoTime();
        warehouse.cancel();
        PulseException failure;
        try {
            query.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the slow query returned; it should have been cancelled");
        } catch (TimeoutException e) {
            throw new AssertionError("the query still ran 10 s after cancel()", e);
        } catch (ExecutionException e) {
            failure = (PulseException) e.getCause();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - cancelled);
        assertTrue(took.toMillis() < 5_000, "cancel took " + took);
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().contains(interrupted), failure.getMessage());

        PulseException refused = assertThrows(PulseException.class, () -> warehouse.query("SELECT 1 AS one"));
        assertTrue(refused.getMessage().startsWith("cancelled"), refused.getMessage());
        warehouse.cancel(); // again: nothing runs, nothing happens
    }

    /** A cancel with nothing running still stops the next statement: a cancel between two statements is not lost. */
    static void stopsTheNextStatement(Warehouse warehouse) {
        warehouse.cancel();
        try {
            warehouse.execute("SELECT 1");
            fail("a statement ran after cancel()");
        } catch (PulseException e) {
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, e.category());
            assertTrue(e.getMessage().startsWith("cancelled"), e.getMessage());
        }
    }
}
