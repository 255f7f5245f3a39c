package dev.pulse.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The run queue with a warehouse call that ignores interrupts, as a long DuckDB query does: a cancelled
 * run is interrupted, says cancelled at once, and its late result is discarded; the next run then goes.
 */
class RunsTest {
    private static final PulseConfig CONFIG = new PulseConfig(Path.of("pulse.yaml"), WarehouseConfig.inMemoryDuckDb(),
            Map.of(), Map.of(), Map.of());
    private static final ExperimentName EXPERIMENT = new ExperimentName("pricing_v2");

    @Test
    void aCancelledRunIsInterruptedAndItsLateResultDiscarded() throws Exception {
        CountDownLatch inWarehouse = new CountDownLatch(1);
        CountDownLatch warehouseReturns = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        Analysis analysis = (config, experiment, phase, connected) -> {
            if (calls.incrementAndGet() > 1) {
                phase.accept("running the SQL in duckdb");
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "metric revenue: <no such column>");
            }
            phase.accept("running the SQL in duckdb");
            inWarehouse.countDown();
            boolean returned = false;
            while (!returned) {
                try {
                    returned = warehouseReturns.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            }
            Thread.currentThread().interrupt();
            phase.accept("writing the results table pulse_results");
            throw new AssertionError("the results table phase must not be reached after cancel");
        };
        try (Runs runs = new Runs(analysis)) {
            int first = runs.start(CONFIG, EXPERIMENT);
            assertTrue(inWarehouse.await(30, TimeUnit.SECONDS));
            assertEquals(Runs.Status.RUNNING, runs.view(first).orElseThrow().status());
            assertEquals("running the SQL in duckdb", runs.view(first).orElseThrow().phase());
            int second = runs.start(CONFIG, EXPERIMENT);
            assertEquals(Runs.Status.QUEUED, runs.view(second).orElseThrow().status());

            assertTrue(runs.cancel(first));
            assertEquals(Runs.Status.CANCELLED, runs.view(first).orElseThrow().status());
            assertFalse(runs.cancel(first));
            assertTrue(RunPage.render(runs.view(first).orElseThrow()).contains("Cancelled after"));

            warehouseReturns.countDown();
            Runs.View failed = await(runs, second);
            assertTrue(interrupted.get(), "the worker was interrupted");
            assertEquals(Runs.Status.CANCELLED, runs.view(first).orElseThrow().status());
            assertTrue(runs.view(first).orElseThrow().report().isEmpty());
            assertEquals(Runs.Status.FAILED, failed.status());
            assertEquals("warehouse failed (exit code 3): metric revenue: <no such column>", failed.error().orElseThrow());
            String page = RunPage.render(failed);
            assertTrue(page.contains("warehouse failed (exit code 3): metric revenue: &lt;no such column&gt;"), page);
            assertEquals(List.of(second, first), runs.views().stream().map(Runs.View::id).toList());
        }
    }

    @Test
    void unfinishedRunsAreNeverForgottenAndAFullQueueRefusesMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        Analysis analysis = (config, experiment, phase, connected) -> {
            phase.accept("running the SQL in duckdb");
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            phase.accept("rendering");
            return List.of();
        };
        try (Runs runs = new Runs(analysis)) {
            int first = runs.start(CONFIG, EXPERIMENT);
            assertTrue(running.await(30, TimeUnit.SECONDS));
            List<Integer> queued = new java.util.ArrayList<>();
            for (int i = 1; i < Runs.QUEUE_LIMIT; i++) {
                queued.add(runs.start(CONFIG, EXPERIMENT));
            }
            assertTrue(runs.full());
            org.junit.jupiter.api.Assertions.assertThrows(Runs.QueueFull.class, () -> runs.start(CONFIG, EXPERIMENT));
            // many more runs come and end (cancelled while queued): the ended ones beyond KEPT are forgotten,
            // the running and queued ones are not
            queued.forEach(runs::cancel);
            for (int i = 0; i < 2 * Runs.KEPT; i++) {
                runs.cancel(runs.start(CONFIG, EXPERIMENT));
            }
            // KEPT ended runs, the last one (cancelled after its start forgot the older ones), the running one
            assertEquals(Runs.KEPT + 2, runs.views().size());
            assertEquals(Runs.Status.RUNNING, runs.view(first).orElseThrow().status());
            int last = runs.start(CONFIG, EXPERIMENT);
            assertEquals(Runs.Status.QUEUED, runs.view(last).orElseThrow().status());
            assertTrue(runs.cancel(first), "the oldest run, still running, can still be cancelled");
            release.countDown();
            assertEquals(Runs.Status.DONE, await(runs, last).status());
        }
    }

    private static Runs.View await(Runs runs, int id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Runs.View view = runs.view(id).orElseThrow();
            if (view.status() != Runs.Status.QUEUED && view.status() != Runs.Status.RUNNING) {
                return view;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + id + " did not end in 30 s");
    }
}
