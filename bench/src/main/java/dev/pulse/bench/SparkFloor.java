package dev.pulse.bench;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The floor on Spark: {@link Floor#SQL} in Spark SQL over {@code parquet.`path`}, in a minimal
 * {@code local[2]} session with {@code spark.sql.shuffle.partitions=2} (the settings of the generated
 * {@code pulse-spark.yaml}). Spark is {@code provided}: run it with Spark's jars on the classpath,
 * {@code bench/spark-java.sh bench/target/pulse-bench.jar dev.pulse.bench.SparkFloor DIR}.
 */
public final class SparkFloor {
    private SparkFloor() {}

    public static void main(String[] argv) {
        if (argv.length != 1) {
            System.err.println("usage: SparkFloor DIR   (DIR holds exposures.parquet and events.parquet)");
            System.exit(2);
        }
        Path dir = Path.of(argv[0]).toAbsolutePath().normalize();
        String sql = String.format(Floor.SQL,
                "parquet.`" + dir.resolve("exposures.parquet") + "`",
                "parquet.`" + dir.resolve("events.parquet") + "`");
        long start = System.nanoTime();
        SparkSession spark = SparkSession.builder().appName("pulse-bench-floor")
                .master(System.getProperty("spark.master", "local[2]"))
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        long query = System.nanoTime();
        List<Row> rows = spark.sql(sql).collectAsList();
        for (Row row : rows) {
            StringBuilder line = new StringBuilder();
            String[] names = row.schema().fieldNames();
            for (int c = 0; c < names.length; c++) {
                line.append(c > 0 ? "\t" : "").append(names[c]).append('=').append(row.get(c));
            }
            System.out.println(line);
        }
        System.err.printf("floor query: %.3f s (session start %.3f s)%n",
                (System.nanoTime() - query) / 1e9, (query - start) / 1e9);
        spark.stop();
    }
}
