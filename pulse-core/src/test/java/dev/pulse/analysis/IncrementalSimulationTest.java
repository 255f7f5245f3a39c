package dev.pulse.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 13's simulation: 28 days of an experiment whose rows arrive day by day — some one or two days late (inside
 * the 2-day lookback), some five days late (outside it), late exposures that move a unit's first exposure earlier
 * or put it in a second group — refreshed once a day with {@code --incremental}. Each day's results (every metric
 * type of the moments family, a percentile, CUPED, a window, winsorization, a dimension and daily results; and a
 * second experiment whose units start at a trigger) equal a
 * full run on the same data to 1e-12, field by field of the JSON; the days a late row falls outside the lookback,
 * the output says the refresh read again from that day. Without the history check those days differ (the control:
 * the comparison can fail).
 */
public class IncrementalSimulationTest {
    static final ExperimentName EXP = new ExperimentName("exp");
    /** The same units and rows, each unit's analysis from its first purchase after its exposure. */
    static final ExperimentName TRIGGERED = new ExperimentName("exp_triggered");
    static final int DAYS = 28;
    /** The first refresh: by then both groups have units. */
    static final int FIRST = 6;
    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 1, 0, 0);

    @TempDir
    Path folder;

    static final String CONFIG = """
            sources:
              events: {table: events, timestamp: ts, ids: {unit_id: unit_id, user_id: user_id}}
              exposures: {table: exposures, timestamp: exposed_at, ids: {unit_id: unit_id}, experiment: exp_name, group: variant}
            metrics:
              revenue: {type: sum, source: events, value: revenue, winsorize: {upper: 0.95}}
              purchases: {type: count, source: events, filter: "event = 'purchase'"}
              users: {type: count_distinct, source: events, value: user_id}
              revenue_per_user:
                type: ratio
                numerator: {source: events, agg: sum, value: revenue}
                denominator: {source: events, agg: count_distinct, value: user_id}
              avg_purchase: {type: mean, source: events, value: revenue, filter: "event = 'purchase'"}
              buyers: {type: unit_count, source: events, filter: "event = 'purchase'"}
              big_spenders: {type: threshold, source: events, aggregate: sum, value: revenue, threshold: 150}
              d3_retention: {type: retention, source: events, start_days: 3, end_days: 5}
              first_purchase: {type: first_value, source: events, value: revenue, filter: "event = 'purchase'"}
              last_purchase: {type: latest_value, source: events, value: revenue, filter: "event = 'purchase'"}
              active_days: {type: participation, source: events}
              week1_revenue: {type: sum, source: events, value: revenue, window: {start_days: 0, end_days: 7}}
              p90_purchase: {type: percentile, source: events, value: revenue, percentile: 0.9, filter: "event = 'purchase'"}
            experiments:
              exp:
                assignment: exposures
                unit: unit_id
                control: control
                groups: [control, treatment]
                start: 2026-03-01
                end: 2026-03-28
                metrics: [revenue, purchases, users, revenue_per_user, avg_purchase, buyers, big_spenders, d3_retention,
                          first_purchase, last_purchase, active_days, week1_revenue, p90_purchase]
                cuped: {lookback_days: 7}
                dimensions: [country]
                timeseries: true
              exp_triggered:
                assignment: exposures
                unit: unit_id
                control: control
                groups: [control, treatment]
                start: 2026-03-01
                end: 2026-03-28
                metrics: [revenue, users, week1_revenue, active_days]
                cuped: {lookback_days: 7, covariates: [revenue, users]}
                trigger: {source: events, filter: "event = 'purchase'"}
            """;

    @Test
    void duckDbEqualsAFullRunEveryDay() throws IOException {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            simulate(warehouse, config(WarehouseConfig.inMemoryDuckDb()), 1);
        }
    }

    @Test
    void postgresEqualsAFullRunEveryDay() throws IOException {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_incremental")) {
            simulate(schema.warehouse(), config(TestPostgres.config()), 1);
        }
    }

    @Test
    void withoutTheHistoryCheckARowOlderThanTheLookbackIsMissed() throws IOException {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            PulseConfig config = config(WarehouseConfig.inMemoryDuckDb());
            createData(warehouse, new Random(13));
            IncrementalRefresh.Settings unchecked = new IncrementalRefresh.Settings(2, false, false);
            int differing = 0;
            for (int day = FIRST; day < DAYS; day++) {
                setClock(warehouse, day);
                String incremental = json(AnalysisRun.of(config, List.of(EXP)).withIncremental(unchecked).run(warehouse, phase -> { }));
                String full = json(AnalysisRun.of(config, List.of(EXP)).run(warehouse, phase -> { }));
                if (!difference(incremental, full).isEmpty()) {
                    differing++;
                }
            }
            assertTrue(differing > 0, "rows five days late must be missed without the history check");
        }
    }

    /**
     * A correction within the lookback withdraws exposures: a unit exposed only on a day read again disappears, and a
     * unit whose first exposure was on such a day keeps only its later one. The refresh sees both units change (the
     * first from the state's units, the second from its exposures) and gives a full run's numbers.
     * (A unit that disappears leaves parts in the state that no exposed unit reads: the numbers hold either way.)
     */
    @Test
    void exposuresWithdrawnWithinTheLookbackAreSeen() throws IOException {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            PulseConfig config = config(WarehouseConfig.inMemoryDuckDb());
            createData(warehouse, new Random(13));
            setClock(warehouse, 20);
            refresh(config, warehouse);
            // the next refresh reads the days from 19 on (the state holds day 20; 2-day lookback)
            String onDay19 = "CAST(exposed_at AS DATE) = DATE '2026-03-20'";
            long gone = warehouse.query("SELECT MIN(unit_id) AS u FROM all_exposures WHERE exp_name = 'exp' AND " + onDay19
                    + " AND arrives <= 20 AND unit_id NOT IN (SELECT unit_id FROM all_exposures WHERE NOT (" + onDay19 + "))")
                    .rows().get(0).getLong("u");
            warehouse.execute("UPDATE all_exposures SET arrives = 999 WHERE unit_id = " + gone);
            // a later exposure for a unit first exposed on day 19, then its day-19 exposure withdrawn
            long moved = warehouse.query("SELECT MIN(unit_id) AS u FROM all_exposures WHERE exp_name = 'exp' AND " + onDay19
                    + " AND arrives <= 20 AND unit_id <> " + gone + " AND unit_id NOT IN (SELECT unit_id FROM all_exposures"
                    + " WHERE NOT (" + onDay19 + "))").rows().get(0).getLong("u");
            warehouse.execute("INSERT INTO all_exposures SELECT unit_id, exposed_at + INTERVAL 1 DAY, exp_name, variant,"
                    + " country, 20 FROM all_exposures WHERE unit_id = " + moved);
            warehouse.execute("UPDATE all_exposures SET arrives = 999 WHERE unit_id = " + moved + " AND " + onDay19);
            setClock(warehouse, 21);
            List<ExperimentResult> refreshed = refresh(config, warehouse);
            String summary = refreshed.get(0).warnings().get(0);
            List<ExperimentResult> full = AnalysisRun.of(config, List.of(EXP)).run(warehouse, phase -> { });
            assertEquals(List.of(), difference(json(refreshed), json(full)), summary);
            long changed = Long.parseLong(summary.replaceAll(".*\\((\\d+) units new or with a new first exposure\\).*", "$1"));
            assertTrue(changed >= 2, "both withdrawn units changed: " + summary);
        }
    }

    private static List<ExperimentResult> refresh(PulseConfig config, Warehouse warehouse) {
        return AnalysisRun.of(config, List.of(EXP)).withIncremental(IncrementalRefresh.Settings.defaults())
                .run(warehouse, phase -> { });
    }

    PulseConfig config(WarehouseConfig warehouse) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, CONFIG);
        PulseConfig base = ConfigLoader.load(file);
        return new PulseConfig(base.file(), warehouse, base.sources(), base.metrics(), base.experiments());
    }

    /** Refreshes every day; compares with a full run every {@code compareEvery} days and on the last. */
    private void simulate(Warehouse warehouse, PulseConfig config, int compareEvery) {
        createData(warehouse, new Random(13));
        int lateDays = 0;
        for (int day = FIRST; day < DAYS; day++) {
            setClock(warehouse, day);
            List<ExperimentResult> refreshed = AnalysisRun.of(config, List.of(EXP, TRIGGERED))
                    .withIncremental(IncrementalRefresh.Settings.defaults()).run(warehouse, phase -> { });
            assertTrue(refreshed.get(1).warnings().get(0).startsWith("incremental: "), refreshed.get(1).warnings().toString());
            assertFalse(refreshed.get(1).warnings().get(0).contains("read in full"), refreshed.get(1).warnings().toString());
            String summary = refreshed.get(0).warnings().get(0);
            assertTrue(summary.startsWith("incremental: "), summary);
            if (day == FIRST) {
                assertTrue(summary.contains("no state yet"), summary);
            } else {
                assertTrue(summary.contains("read the days from"), "day " + day + ": " + summary);
            }
            if (summary.contains("before the 2-day lookback")) {
                lateDays++;
            }
            if ((day - FIRST) % compareEvery != 0 && day != DAYS - 1) {
                continue;
            }
            List<ExperimentResult> full = AnalysisRun.of(config, List.of(EXP, TRIGGERED)).run(warehouse, phase -> { });
            List<String> differences = difference(json(refreshed), json(full));
            if (!differences.isEmpty()) {
                fail("day " + day + " (" + summary + "): the refresh differs from a full run:\n  "
                        + String.join("\n  ", differences.subList(0, Math.min(10, differences.size()))));
            }
        }
        assertTrue(lateDays >= 3, "the data must hold rows later than the lookback on several days, got " + lateDays);
    }

    public static String json(List<ExperimentResult> results) {
        return JsonOutput.experiments(results);
    }

    /** Every numeric or text leaf that differs, beyond 1e-12 relative (1e-12 absolute near 0); warnings and SQL aside. */
    public static List<String> difference(String a, String b) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            List<String> out = new ArrayList<>();
            compare("", mapper.readTree(a), mapper.readTree(b), out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void compare(String path, JsonNode a, JsonNode b, List<String> out) {
        if (path.endsWith(".sql") || path.endsWith(".warnings")) {
            return;
        }
        if (a.isNumber() && b.isNumber()) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            if (Math.abs(x - y) > 1e-12 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)))) {
                out.add(path + ": " + x + " vs " + y);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                compare(path + "." + field.getKey(), field.getValue(), b.path(field.getKey()), out);
            }
            if (a.size() != b.size()) {
                out.add(path + ": fields " + a.size() + " vs " + b.size());
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                out.add(path + ": " + a.size() + " vs " + b.size() + " items");
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }

    static void setClock(Warehouse warehouse, int day) {
        warehouse.execute("DELETE FROM clock");
        warehouse.execute("INSERT INTO clock VALUES (" + day + ")");
    }

    /**
     * The data of every day, each row with the day it arrives; the tables the config reads are views of the rows
     * arrived by the clock's day.
     */
    static void createData(Warehouse warehouse, Random random) {
        warehouse.execute("CREATE TABLE all_exposures (unit_id BIGINT, exposed_at TIMESTAMP, exp_name VARCHAR(20),"
                + " variant VARCHAR(20), country VARCHAR(10), arrives INTEGER)");
        warehouse.execute("CREATE TABLE all_events (unit_id BIGINT, user_id BIGINT, ts TIMESTAMP, event VARCHAR(20),"
                + " revenue DOUBLE PRECISION, arrives INTEGER)");
        warehouse.execute("CREATE TABLE clock (d INTEGER)");
        // the triggered experiment has the same exposures
        warehouse.execute("CREATE VIEW exposures AS SELECT unit_id, exposed_at, exp_name, variant, country FROM all_exposures"
                + " WHERE arrives <= (SELECT d FROM clock) UNION ALL SELECT unit_id, exposed_at, 'exp_triggered', variant,"
                + " country FROM all_exposures WHERE arrives <= (SELECT d FROM clock)");
        warehouse.execute("CREATE VIEW events AS SELECT unit_id, user_id, ts, event, revenue FROM all_events"
                + " WHERE arrives <= (SELECT d FROM clock)");
        List<List<Object>> exposures = new ArrayList<>();
        List<List<Object>> events = new ArrayList<>();
        String[] countries = {"us", "de", "fr", "br"};
        for (long unit = 1; unit <= 240; unit++) {
            int exposedDay = random.nextInt(25);
            String group = random.nextBoolean() ? "control" : "treatment";
            String country = countries[random.nextInt(countries.length)];
            LocalDateTime exposed = at(exposedDay, random);
            exposures.add(exposure(unit, exposed, group, country, exposedDay + late(random)));
            double kind = random.nextDouble();
            if (kind < 0.05) {
                // a duplicate exposure to the same group, later
                exposures.add(exposure(unit, exposed.plusDays(3), group, country, exposedDay + 3));
            } else if (kind < 0.08) {
                // seen in the other group two days later: excluded from then on
                exposures.add(exposure(unit, exposed.plusDays(2), group.equals("control") ? "treatment" : "control",
                        country, exposedDay + 2));
            } else if (kind < 0.12 && exposedDay >= 3) {
                // an earlier exposure that lands late: inside the lookback for some units, outside for others
                int earlier = exposedDay - 1 - random.nextInt(2);
                int arrives = random.nextBoolean() ? exposedDay + 1 : exposedDay + 4;
                exposures.add(exposure(unit, at(earlier, random), group, country, arrives));
            }
            int rows = 5 + random.nextInt(40);
            for (int i = 0; i < rows; i++) {
                int day = exposedDay - 9 + random.nextInt(DAYS - exposedDay + 9);
                String event = random.nextDouble() < 0.3 ? "purchase" : random.nextDouble() < 0.1 ? "signup" : "view";
                Double revenue = event.equals("purchase") ? (random.nextDouble() < 0.05 ? null
                        : Math.round((5 + random.nextDouble() * 195) * 100) / 100.0) : event.equals("signup") ? 9.99 : null;
                double delay = random.nextDouble();
                int arrives = day + (delay < 0.12 ? 1 + random.nextInt(2) : delay < 0.135 ? 5 : 0);
                events.add(java.util.Arrays.asList(unit, unit * 100 + random.nextInt(6), at(day, random), event, revenue, arrives));
            }
        }
        // rows of units never exposed
        for (long unit = 1000; unit < 1010; unit++) {
            events.add(java.util.Arrays.asList(unit, unit * 100, at(random.nextInt(DAYS), random), "view", null, 0));
        }
        warehouse.transaction(transaction -> {
            transaction.executeBatch("INSERT INTO all_exposures VALUES (?, ?, ?, ?, ?, ?)", exposures);
            transaction.executeBatch("INSERT INTO all_events VALUES (?, ?, ?, ?, ?, ?)", events);
        });
    }

    private static int late(Random random) {
        double x = random.nextDouble();
        return x < 0.15 ? 1 + random.nextInt(2) : 0;
    }

    private static List<Object> exposure(long unit, LocalDateTime at, String group, String country, int arrives) {
        return java.util.Arrays.asList(unit, at, "exp", group, country, arrives);
    }

    private static LocalDateTime at(int day, Random random) {
        return START.plusDays(day).plusSeconds(random.nextInt(86_400));
    }
}
