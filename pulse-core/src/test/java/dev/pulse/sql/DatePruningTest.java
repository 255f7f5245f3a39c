package dev.pulse.sql;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.percentile;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.dialect.PostgresDialect;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A metric source stored by day is read only for the experiment's days. Pulse's scans carry the experiment's
 * dates as constants on the source's own timestamp, which is what lets a planner prune partitions before the
 * query runs (BigQuery, Snowflake, Trino, Spark and PostgreSQL all prune only on constants). Here PostgreSQL
 * with declarative partitioning: events cover 60 days (2026-02-01 … 2026-04-01), one partition per day; the
 * experiment runs 2026-03-01 … 2026-03-03 (3 days) and with CUPED reads its 14-day lookback too. The plan
 * names the partitions it reads. Without the constants, the per-unit join bounds prune nothing below the
 * start, and PostgreSQL reads every partition up to the end (31 of 60).
 */
class DatePruningTest {

    private static final int DAYS = 60;

    private static TestPostgres.Schema schema;

    @Test
    void theMomentsStatementReadsOnlyTheExperimentsDays() {
        assertEquals(3, partitionsRead(render(config(false))));
    }

    @Test
    void withCupedItReadsTheLookbackToo() {
        assertEquals(3 + 14, partitionsRead(render(config(true))));
    }

    @Test
    void thePercentileStatementsReadOnlyTheExperimentsDays() {
        var plan = Planner.percentile(config(false), new ExperimentName("exp"), new MetricName("p90_revenue"));
        PercentileSqlRenderer renderer = PercentileSqlRenderer.of(PostgresDialect.DEFAULT);
        assertEquals(3, partitionsRead(renderer.indicatorStatement(plan)));
    }

    private static PulseConfig config(boolean cuped) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-03",
                "revenue", "p90_revenue");
        if (cuped) {
            experiment = experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14)));
        }
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        percentile("p90_revenue", "events", "revenue", 0.9, null)),
                List.of(experiment));
    }

    private static String render(PulseConfig config) {
        return SqlRenderer.of(PostgresDialect.DEFAULT).render(Planner.plan(config, new ExperimentName("exp")));
    }

    @BeforeAll
    static void createTables() {
        schema = TestPostgres.freshSchema("pulse_pruning");
        Warehouse warehouse = schema.warehouse();
        warehouse.execute("CREATE TABLE exposures AS SELECT 'exp' AS exp_name, CASE WHEN i % 2 = 0 THEN 'control' "
                + "ELSE 'treat' END AS variant, i AS org, TIMESTAMP '2026-03-01 00:00:00' + i * INTERVAL '1 minute' AS ts "
                + "FROM generate_series(0, 199) AS i");
        warehouse.execute("CREATE TABLE events (org INTEGER, ts TIMESTAMP, revenue DOUBLE PRECISION) PARTITION BY RANGE (ts)");
        LocalDate first = LocalDate.of(2026, 2, 1);
        for (int day = 0; day < DAYS; day++) {
            warehouse.execute(String.format("CREATE TABLE events_d%02d PARTITION OF events FOR VALUES FROM ('%s') TO ('%s')",
                    day, first.plusDays(day), first.plusDays(day + 1)));
        }
        warehouse.execute("INSERT INTO events SELECT i % 200, TIMESTAMP '2026-02-01 00:00:00' + i * INTERVAL '10 minutes', "
                + "i % 13 FROM generate_series(0, " + (DAYS * 24 * 6 - 1) + ") AS i");
        warehouse.execute("ANALYZE events");
    }

    @AfterAll
    static void dropTables() {
        if (schema != null) {
            schema.close();
        }
    }

    /** The daily partitions of events that the plan of {@code sql} reads. */
    private static long partitionsRead(String sql) {
        StringBuilder plan = new StringBuilder();
        schema.warehouse().query("EXPLAIN " + sql).rows()
                .forEach(row -> plan.append(row.values().values().iterator().next()).append('\n'));
        Matcher matcher = Pattern.compile("events_d(\\d\\d)").matcher(plan);
        Set<String> partitions = new TreeSet<>();
        while (matcher.find()) {
            partitions.add(matcher.group(1));
        }
        return partitions.size();
    }
}
