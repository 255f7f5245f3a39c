package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.ORG;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The two tie-breaks that compare text, on DuckDB and on PostgreSQL with every text column in a linguistic
 * collation ({@code en-x-icu}, where {@code a} sorts before {@code B}): both must follow code point order
 * ({@code B} (U+0042) before {@code a} (U+0061); {@code d10} before {@code d100} before {@code d9}, as text,
 * not as numbers), whatever the collation of the data.
 *
 * <p>Experiment {@code dims}: orgs o1 (control, country x, platform d9), o2 (treat, x, d10), o3 (control,
 * a, d100), o4 (treat, B, f); two values per dimension. Countries by units: x 2, then a, B with 1 each:
 * the second place goes to B. Platforms, all with 1 unit: d10 and d100; d9 and f are (other).
 *
 * <p>Experiment {@code ids} (unit org, {@code id_mapping} to {@code user_id}): control devices d9 and d10
 * and treat devices a and B, each pair first exposed at the same instant. User u1 is linked to d9 and d10,
 * u2 to a and B: each user's purchase goes to the smaller ID as text, d10 (10.0) and B (20.0). The
 * dimension {@code org} (the unit ID itself) shows where each purchase went.
 */
class TextOrderTest {
    private static final IdType USER = new IdType("user_id");

    @Test
    void duckDb() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            createData(warehouse, "VARCHAR");
            check(config(WarehouseConfig.inMemoryDuckDb()), warehouse);
        }
    }

    @Test
    void postgresWithALinguisticCollation() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_text_order")) {
            createData(schema.warehouse(), "TEXT COLLATE \"en-x-icu\"");
            check(config(TestPostgres.config()), schema.warehouse());
        }
    }

    /**
     * A numeric ID column compares as text too: devices 9 and 10, first exposed at the same instant, share
     * user u1, whose purchase goes to 10 ("10" before "9"); treat device 11 has no user.
     */
    @Test
    void numericIdsCompareAsText() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            warehouse.execute("""
                    CREATE TABLE exposures AS SELECT * FROM (VALUES
                      ('ids', 'control', 9,  TIMESTAMP '2026-03-01 00:00:00'),
                      ('ids', 'control', 10, TIMESTAMP '2026-03-01 00:00:00'),
                      ('ids', 'treat',   11, TIMESTAMP '2026-03-01 00:00:00')
                    ) AS t(exp_name, variant, org, ts)""");
            warehouse.execute("CREATE TABLE events (org INTEGER, ts TIMESTAMP, revenue DOUBLE)");
            warehouse.execute("""
                    CREATE TABLE identify AS SELECT * FROM (VALUES
                      (9, 'u1', TIMESTAMP '2026-03-01 01:00:00'),
                      (10, 'u1', TIMESTAMP '2026-03-01 02:00:00')
                    ) AS t(org, user_id, ts)""");
            warehouse.execute("CREATE TABLE purchases AS SELECT 'u1' AS user_id, TIMESTAMP '2026-03-01 12:00:00' AS ts,"
                    + " 10.0 AS revenue");
            ExperimentResult ids = Analyzer.analyze(config(WarehouseConfig.inMemoryDuckDb()), new ExperimentName("ids"),
                    warehouse);
            assertEquals(List.of("10", "11", "9"), ids.dimensions().stream().map(d -> d.value()).toList());
            assertEquals(10.0, ids.dimensions().get(0).metrics().get(0).comparisons().get(0).statistics().controlMean());
            assertEquals(0.0, ids.dimensions().get(2).metrics().get(0).comparisons().get(0).statistics().controlMean());
        }
    }

    private static void check(PulseConfig config, Warehouse warehouse) {
        ExperimentResult dims = Analyzer.analyze(config, new ExperimentName("dims"), warehouse);
        assertEquals(List.of("country=x", "country=B", "country=(other)", "platform=d10", "platform=d100",
                "platform=(other)"), dims.dimensions().stream().map(d -> d.dimension() + "=" + d.value()).toList());

        ExperimentResult ids = Analyzer.analyze(config, new ExperimentName("ids"), warehouse);
        // all four values are reported, in code point order (each has one unit)
        assertEquals(List.of("B", "a", "d10", "d9"), ids.dimensions().stream().map(d -> d.value()).toList());
        Map<String, Double> revenue = ids.dimensions().stream().collect(Collectors.toMap(
                ExperimentResult.DimensionResult::value, value -> {
                    var statistics = value.metrics().get(0).comparisons().get(0).statistics();
                    return value.groups().get(0).units() > 0 ? statistics.controlMean() : statistics.treatmentMean();
                }));
        assertEquals(Map.of("d10", 10.0, "d9", 0.0, "B", 20.0, "a", 0.0), revenue);
    }

    private static void createData(Warehouse warehouse, String text) {
        warehouse.execute("CREATE TABLE exposures (exp_name " + text + ", variant " + text + ", org " + text
                + ", ts TIMESTAMP, country " + text + ", platform " + text + ")");
        warehouse.execute("""
                INSERT INTO exposures VALUES
                  ('dims', 'control', 'o1', TIMESTAMP '2026-03-01 00:00:00', 'x', 'd9'),
                  ('dims', 'treat',   'o2', TIMESTAMP '2026-03-01 00:00:00', 'x', 'd10'),
                  ('dims', 'control', 'o3', TIMESTAMP '2026-03-01 00:00:00', 'a', 'd100'),
                  ('dims', 'treat',   'o4', TIMESTAMP '2026-03-01 00:00:00', 'B', 'f'),
                  ('ids',  'control', 'd9',  TIMESTAMP '2026-03-01 00:00:00', NULL, NULL),
                  ('ids',  'control', 'd10', TIMESTAMP '2026-03-01 00:00:00', NULL, NULL),
                  ('ids',  'treat',   'a',   TIMESTAMP '2026-03-01 06:00:00', NULL, NULL),
                  ('ids',  'treat',   'B',   TIMESTAMP '2026-03-01 06:00:00', NULL, NULL)""");
        warehouse.execute("CREATE TABLE events (org " + text + ", ts TIMESTAMP, revenue DOUBLE PRECISION)");
        warehouse.execute("INSERT INTO events VALUES ('o1', TIMESTAMP '2026-03-01 12:00:00', 1.0)");
        warehouse.execute("CREATE TABLE identify (org " + text + ", user_id " + text + ", ts TIMESTAMP)");
        warehouse.execute("""
                INSERT INTO identify VALUES
                  ('d9', 'u1', TIMESTAMP '2026-03-01 01:00:00'),
                  ('d10', 'u1', TIMESTAMP '2026-03-01 02:00:00'),
                  ('a', 'u2', TIMESTAMP '2026-03-01 07:00:00'),
                  ('B', 'u2', TIMESTAMP '2026-03-01 08:00:00')""");
        warehouse.execute("CREATE TABLE purchases (user_id " + text + ", ts TIMESTAMP, revenue DOUBLE PRECISION)");
        warehouse.execute("""
                INSERT INTO purchases VALUES
                  ('u1', TIMESTAMP '2026-03-01 12:00:00', 10.0),
                  ('u2', TIMESTAMP '2026-03-01 12:00:00', 20.0)""");
    }

    private static PulseConfig config(WarehouseConfig warehouse) {
        Source identify = new Source(new SourceName("identify"), table("identify"), "ts",
                Map.of(ORG, "org", USER, "user_id"), Optional.empty());
        Source purchases = new Source(new SourceName("purchases"), table("purchases"), "ts", Map.of(USER, "user_id"),
                Optional.empty());
        PulseConfig config = TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events")), identify,
                        purchases),
                List.of(sum("revenue", "events", "revenue", null), sum("purchase_revenue", "purchases", "revenue", null)),
                List.of(experiment("dims", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-02", "revenue")
                                .withDimensions(new Dimensions(List.of("country", "platform"), 2)),
                        experiment("ids", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-02",
                                "purchase_revenue")
                                .withDimensions(new Dimensions(List.of("org"), 10))
                                .withIdMapping(Optional.of(new IdMapping(new SourceName("identify"), USER)))));
        return new PulseConfig(config.file(), warehouse, config.sources(), config.metrics(), config.experiments());
    }
}
