package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources whose tables are named like the parts of a statement (exposures, units, moments, caps): every
 * CTE of Pulse's statements is named pulse_…, so a one-part table name in a later CTE still names the table. Before,
 * a count of the exposures table read Pulse's own exposures CTE and failed ("Referenced table src not found").
 *
 * <p>10 users, even ids in control, all exposed on 2026-03-02; the exposures table has one row per user, units two per
 * user, moments three, caps one per odd user: each group's mean count is known by hand.
 */
class SourceNamedLikeCteTest {
    private static final ExperimentName EXP = new ExperimentName("a");

    @TempDir
    Path temp;
    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("CREATE TABLE exposures AS SELECT i AS user_id, 'a' AS experiment, CASE WHEN i % 2 = 0"
                + " THEN 'control' ELSE 'treatment' END AS grp, TIMESTAMP '2026-03-02 00:00:00' AS ts FROM range(10) t(i)");
        warehouse.execute("CREATE TABLE units AS SELECT i % 10 AS user_id, TIMESTAMP '2026-03-03 00:00:00' AS ts"
                + " FROM range(20) t(i)");
        warehouse.execute("CREATE TABLE moments AS SELECT i % 10 AS user_id, TIMESTAMP '2026-03-03 00:00:00' AS ts"
                + " FROM range(30) t(i)");
        warehouse.execute("CREATE TABLE caps AS SELECT i AS user_id, TIMESTAMP '2026-03-04 00:00:00' AS ts"
                + " FROM range(10) t(i) WHERE i % 2 = 1");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    PulseConfig config() throws Exception {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                  units: {table: units, timestamp: ts, ids: {user_id: user_id}}
                  moments: {table: moments, timestamp: ts, ids: {user_id: user_id}}
                  caps: {table: caps, timestamp: ts, ids: {user_id: user_id}}
                metrics:
                  exposure_rows: {type: count, source: exposures}
                  unit_rows: {type: count, source: units, winsorize: {upper: 0.99}}
                  moment_rows: {type: count, source: moments}
                  cap_rows: {type: count, source: caps}
                experiments:
                  a:
                    assignment: exposures
                    unit: user_id
                    control: control
                    start: 2026-03-01
                    end: 2026-03-14
                    metrics: [exposure_rows, unit_rows, moment_rows, cap_rows]
                """);
        return ConfigLoader.load(file);
    }

    @Test
    void tablesNamedLikeTheStatementsPartsAreReadAsTables() throws Exception {
        ExperimentData data = MomentsFetcher.fetch(config(), EXP, warehouse);
        for (String group : new String[] {"control", "treatment"}) {
            assertEquals(5, data.units().get(group));
            assertEquals(1.0, data.moments().get(new MetricName("exposure_rows")).get(group).value(), 1e-12, group);
            assertEquals(2.0, data.moments().get(new MetricName("unit_rows")).get(group).value(), 1e-12, group);
            assertEquals(3.0, data.moments().get(new MetricName("moment_rows")).get(group).value(), 1e-12, group);
            assertEquals(group.equals("treatment") ? 1.0 : 0.0,
                    data.moments().get(new MetricName("cap_rows")).get(group).value(), 1e-12, group);
        }
    }
}
