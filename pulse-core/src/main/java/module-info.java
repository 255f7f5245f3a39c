/**
 * Pulse's library: analyse experiments from a JVM program through {@code dev.pulse.api.Pulse} (docs/java-api.md).
 *
 * <p>Only {@code dev.pulse.api} and {@code dev.pulse.error} are exported: they are the API, the packages semantic
 * versioning covers. Every other package is internal: a program on the module path cannot compile against it, nor
 * reach it by reflection (but for the HTML report's templates, open below). On the class path this descriptor is
 * ignored, and the API is still these two packages alone.
 */
module dev.pulse.core {
    exports dev.pulse.api;
    exports dev.pulse.error;

    requires java.sql;
    requires dev.pulse.stats;
    requires org.yaml.snakeyaml;
    requires com.fasterxml.jackson.databind;
    requires com.github.mustachejava;
    requires org.postgresql.jdbc;
    // Reached only through java.sql.DriverManager; required so that the embedded default engine is always there.
    requires duckdb.jdbc;

    // mustache.java reads the HTML report's records by reflection and loads its templates from this package through
    // ClassLoader.getResource, which finds a named module's resources only in packages opened to everybody: so open,
    // not exported (no program compiles against it), and not to com.github.mustachejava alone.
    opens dev.pulse.output.html;

    // BigQuery and Spark (pulse-bigquery, pulse-spark) register a provider; they run on the class path.
    uses dev.pulse.warehouse.WarehouseProvider;
}
