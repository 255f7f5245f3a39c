package dev.pulse.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One small local Spark session for the whole test JVM (starting one takes seconds): {@code local[2]},
 * two shuffle partitions, no UI, UTC. Warehouses opened while it runs reuse it and leave it running.
 */
public final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    /** The shared session, started on first use. */
    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("pulse-tests")
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.driver.host", "127.0.0.1")
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
