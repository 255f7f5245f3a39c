package dev.pulse.plan;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.Winsorization;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final String PURCHASE = "event = 'purchase'";

    private static PulseConfig config(String end, List<String> groups) {
        return TestModel.config(
                List.of(assignment("exposures", table("analytics", "exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", parquet("/data/sessions.parquet"))),
                List.of(mean("avg_purchase_value", "events", "revenue", PURCHASE),
                        sum("purchase_revenue", "events", "revenue", PURCHASE),
                        count("purchases", "events", PURCHASE),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", PURCHASE),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null))),
                List.of(experiment("exp", "exposures", groups, "2026-03-01", end,
                        "revenue_per_session", "avg_purchase_value", "purchase_revenue", "purchases")));
    }

    @Test
    void windowRunsFromStartToTheDayAfterTheEnd() {
        ExperimentPlan plan = Planner.plan(config("2026-03-28", List.of("control", "treat")), new ExperimentName("exp"));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), plan.window().start());
        assertEquals(Optional.of(Instant.parse("2026-03-29T00:00:00Z")), plan.window().end());
        assertEquals(List.of("control", "treat"), plan.listedGroups());
        assertEquals(new IdType("org_id"), plan.unit());
        assertEquals(new AssignmentScan(new SourceName("exposures"), table("analytics", "exposures"),
                "org", "ts", "exp_name", "variant"), plan.assignment());
    }

    @Test
    void withoutEndTheWindowIsOpenAndWithoutGroupsNoneAreListed() {
        ExperimentPlan plan = Planner.plan(config(null, List.of()), new ExperimentName("exp"));
        assertEquals(Optional.empty(), plan.window().end());
        assertTrue(plan.listedGroups().isEmpty());
    }

    @Test
    void onePassPerSourceWithSharedAggregatesAndExpressions() {
        ExperimentPlan plan = Planner.plan(config(null, List.of()), new ExperimentName("exp"));
        // passes in the order the experiment's metrics first use them: the ratio reads events, then sessions
        assertEquals(List.of(new SourceName("events"), new SourceName("sessions")),
                plan.passes().stream().map(SourcePass::source).toList());
        SourcePass events = plan.passes().get(0);
        // SUM(revenue | purchase) shared by ratio numerator, mean numerator and purchase_revenue;
        // COUNT_VALUES(revenue | purchase) reads the same row expression; COUNT_ROWS(| purchase) another
        assertEquals(List.of(
                        new RowExpression(Optional.of("revenue"), Optional.of(PURCHASE)),
                        new RowExpression(Optional.empty(), Optional.of(PURCHASE))),
                events.expressions());
        assertEquals(List.of(AggregateFunction.SUM, AggregateFunction.COUNT_VALUES, AggregateFunction.COUNT_ROWS),
                events.aggregates().stream().map(AggregateColumn::function).toList());
        assertEquals(List.of(0, 0, 1), events.aggregates().stream().map(AggregateColumn::expression).toList());
        SourcePass sessions = plan.passes().get(1);
        assertEquals(List.of(new RowExpression(Optional.empty(), Optional.empty())), sessions.expressions());
        // ids: events SUM 0, sessions COUNT_ROWS 1, events COUNT_VALUES 2, events COUNT_ROWS 3
        assertEquals(List.of(0, 2, 3), events.aggregates().stream().map(AggregateColumn::id).toList());
        assertEquals(List.of(1), sessions.aggregates().stream().map(AggregateColumn::id).toList());
        assertEquals(List.of(0, 1, 2, 3), plan.aggregates().stream().map(AggregateColumn::id).toList());
    }

    @Test
    void metricsNameTheirColumns() {
        ExperimentPlan plan = Planner.plan(config(null, List.of()), new ExperimentName("exp"));
        Map<MetricName, MetricColumns> byName = new java.util.LinkedHashMap<>();
        plan.metrics().forEach(metric -> byName.put(metric.metric(), metric));
        assertEquals(List.of("revenue_per_session", "avg_purchase_value", "purchase_revenue", "purchases"),
                byName.keySet().stream().map(MetricName::value).toList());
        assertColumns(byName.get(new MetricName("revenue_per_session")), 0, OptionalInt.of(1));
        assertColumns(byName.get(new MetricName("avg_purchase_value")), 0, OptionalInt.of(2));
        assertColumns(byName.get(new MetricName("purchase_revenue")), 0, OptionalInt.empty());
        assertColumns(byName.get(new MetricName("purchases")), 3, OptionalInt.empty());
    }

    private static void assertColumns(MetricColumns columns, int x, OptionalInt y) {
        assertEquals(x, columns.x());
        assertEquals(y, columns.y());
    }

    @Test
    void aSourceWithoutTheUnitIdTypeIsAConfigError() {
        PulseConfig config = TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        new Source(new SourceName("users"), table("users"), "ts",
                                Map.of(new IdType("user_id"), "user_id"), Optional.empty())),
                List.of(count("signups", "users", null)),
                List.of(experiment("exp", "exposures", List.of(), "2026-03-01", null, "signups")));
        PulseException failure = assertThrows(PulseException.class, () -> Planner.plan(config, new ExperimentName("exp")));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("source 'users' has no column for its unit ID type 'org_id'"),
                failure.getMessage());
    }

    @Test
    void anAssignmentWithoutGroupColumnsIsAConfigError() {
        PulseConfig config = TestModel.config(
                List.of(metricSource("events", table("events"))),
                List.of(count("events_count", "events", null)),
                List.of(experiment("exp", "events", List.of(), "2026-03-01", null, "events_count")));
        PulseException failure = assertThrows(PulseException.class, () -> Planner.plan(config, new ExperimentName("exp")));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("not an assignment source"), failure.getMessage());
    }

    @Test
    void cupedAndWinsorizationAreCarriedIntoThePlan() {
        PulseConfig plain = config(null, List.of());
        ExperimentPlan without = Planner.plan(plain, new ExperimentName("exp"));
        assertEquals(Optional.empty(), without.cuped());
        assertFalse(without.winsorizes());

        Winsorization caps = Winsorization.between(0.01, 0.99);
        Map<MetricName, Metric> metrics = new java.util.LinkedHashMap<>(plain.metrics());
        MetricName purchases = new MetricName("purchases");
        metrics.put(purchases, metrics.get(purchases).withOptions(new MetricOptions(Direction.INCREASE, Optional.of(caps))));
        Experiment experiment = plain.experiment(new ExperimentName("exp"));
        PulseConfig config = new PulseConfig(plain.file(), plain.warehouse(), plain.sources(), metrics,
                Map.of(experiment.name(), experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14)))));
        ExperimentPlan plan = Planner.plan(config, new ExperimentName("exp"));
        assertEquals(Optional.of(new Cuped(14)), plan.cuped());
        assertTrue(plan.winsorizes());
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(caps)),
                plan.metrics().stream().map(MetricColumns::winsorize).toList());
        // the same passes and columns: the pre-period is computed beside each aggregate, not in a new pass
        assertEquals(without.passes(), plan.passes());
    }
}
