package dev.pulse.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;

/**
 * One small local Spark session for the whole test JVM (starting one takes seconds): {@code local[2]},
 * two shuffle partitions, no UI, UTC. Warehouses opened while it runs reuse it and leave it running.
 * Tables the tests create live in a fresh {@code spark.sql.warehouse.dir} under {@code target/} (build
 * output, gone with {@code mvn clean}): the default, {@code ./spark-warehouse}, would put them in the
 * module's folder and clash with an earlier run's.
 */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    /** The shared session, started on first use. */
    public static synchronized SparkSession session() {
        if (session == null) {
            String warehouseDir;
            try {
                Path target = Files.createDirectories(Path.of("target"));
                warehouseDir = Files.createTempDirectory(target, "spark-warehouse-").toAbsolutePath().toUri().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            session = SparkSession.builder()
                    .appName("pulse-tests")
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.warehouse.dir", warehouseDir)
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    /** A warehouse over the shared session. */
    public static SparkWarehouse warehouse() {
        return SparkWarehouse.over(session());
    }
}
