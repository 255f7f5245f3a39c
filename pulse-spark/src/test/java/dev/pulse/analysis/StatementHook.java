package dev.pulse.analysis;

import dev.pulse.model.Engine;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A warehouse that runs every statement on another and first hands it to a hook, which may throw to make the
 * statement fail before it runs (a refresh that fails midway, as a killed driver would leave it: on Spark every
 * statement before it has committed, none after it runs). It also records each statement with its time.
 */
final class StatementHook implements Warehouse {
    /** A statement run, and how long it took. */
    record Timed(String sql, long millis) {}

    private final Warehouse warehouse;
    private final Consumer<String> hook;
    private final List<Timed> statements = Collections.synchronizedList(new ArrayList<>());

    StatementHook(Warehouse warehouse, Consumer<String> hook) {
        this.warehouse = warehouse;
        this.hook = hook;
    }

    /** The statements run so far, in order. */
    List<Timed> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    private <T> T timed(String sql, java.util.function.Supplier<T> run) {
        hook.accept(sql);
        long started = System.nanoTime();
        T result = run.get();
        statements.add(new Timed(sql, (System.nanoTime() - started) / 1_000_000));
        return result;
    }

    @Override
    public Engine engine() {
        return warehouse.engine();
    }

    @Override
    public void execute(String sql) {
        timed(sql, () -> {
            warehouse.execute(sql);
            return null;
        });
    }

    @Override
    public void execute(String sql, List<?> parameters) {
        timed(sql, () -> {
            warehouse.execute(sql, parameters);
            return null;
        });
    }

    @Override
    public QueryResult query(String sql) {
        return timed(sql, () -> warehouse.query(sql));
    }

    @Override
    public QueryResult query(String sql, List<?> parameters) {
        return timed(sql, () -> warehouse.query(sql, parameters));
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        timed(sql, () -> {
            warehouse.forEachBatch(sql, batchSize, consumer);
            return null;
        });
    }

    @Override
    public void transaction(Consumer<Transaction> work) {
        warehouse.transaction(work);
    }

    @Override
    public void cancel() {
        warehouse.cancel();
    }

    /** Leaves the warehouse open: its owner closes it. */
    @Override
    public void close() {}
}
