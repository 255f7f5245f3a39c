package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Engine;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.SourcePass;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A valid config loads into the expected model: every field, defaults, resolved paths. */
class ConfigLoaderTest {
    private static final Path FOLDER = Path.of("src/test/resources/config");
    private static final Path VALID = FOLDER.resolve("valid.yaml");
    private static final Path ABSOLUTE_FOLDER = FOLDER.toAbsolutePath().normalize();

    private final PulseConfig config = ConfigLoader.load(VALID);

    @Test
    void validConfigHasNoProblems() {
        assertEquals(List.of(), ConfigLoader.problems(VALID));
        assertEquals(VALID.toAbsolutePath().normalize(), config.file());
    }

    @Test
    void idMappingShortAndLongFormsAndWhichSourcesItMaps() {
        Path file = FOLDER.resolve("id-mapping.yaml");
        assertEquals(List.of(), ConfigLoader.problems(file));
        PulseConfig mapped = ConfigLoader.load(file);
        IdMapping identify = new IdMapping(new SourceName("identify"), new IdType("user_id"));
        // the short form names the source; its one ID type besides the unit's is the mapped one
        assertEquals(Optional.of(identify), mapped.experiment(new ExperimentName("checkout_short")).idMapping());
        assertEquals(Optional.of(identify), mapped.experiment(new ExperimentName("checkout_long")).idMapping());
        assertEquals(Optional.empty(), config.experiments().values().iterator().next().idMapping());
        // purchases carry only user_id: read through the mapping; app_events carry the device: joined directly
        ExperimentPlan plan = Planner.plan(mapped, new ExperimentName("checkout_short"));
        assertEquals(List.of(true, false), plan.passes().stream().map(SourcePass::mapped).toList());
        assertEquals(List.of("user_id", "device_id"), plan.passes().stream().map(SourcePass::unitColumn).toList());
        assertEquals("device_id", plan.idMapping().orElseThrow().unitColumn());
    }

    @Test
    void warehouseDatabaseResolvesAgainstTheConfigFolder() {
        assertEquals(Engine.DUCKDB, config.warehouse().engine());
        assertEquals(Optional.of(ABSOLUTE_FOLDER.resolve("analytics.duckdb")), config.warehouse().database());
    }

    @Test
    void sourcesInConfigOrder() {
        assertEquals(List.of("events", "exposures", "sessions", "signups", "logs"),
                config.sources().keySet().stream().map(SourceName::value).toList());
    }

    @Test
    void pathSourceResolvesRelativeToTheConfigFolderWithFormatFromTheExtension() {
        Source events = config.source(new SourceName("events"));
        assertEquals(new Relation.Files(ABSOLUTE_FOLDER.resolve("data/events.parquet").toString(), Relation.FileFormat.PARQUET),
                events.relation());
        assertEquals("ts", events.timestampColumn());
        assertEquals(Map.of(new IdType("org_id"), "org_id", new IdType("user_id"), "user_id"), events.idColumns());
        assertEquals(List.of(new IdType("org_id"), new IdType("user_id")), List.copyOf(events.idColumns().keySet()));
        assertEquals(Optional.empty(), events.assignment());
    }

    @Test
    void absoluteGlobStaysAndCsvGzIsCsv() {
        assertEquals(new Relation.Files("/data/exports/signups-*.csv.gz", Relation.FileFormat.CSV),
                config.source(new SourceName("signups")).relation());
    }

    @Test
    void explicitFormatForAPathWithoutExtension() {
        assertEquals(new Relation.Files(ABSOLUTE_FOLDER.resolve("logs/part-*").toString(), Relation.FileFormat.CSV),
                config.source(new SourceName("logs")).relation());
        assertEquals(Map.of(new IdType("org_id"), "org"), config.source(new SourceName("logs")).idColumns());
    }

    @Test
    void tableSourceIsSplitAtDotsAndCarriesAssignmentColumns() {
        Source exposures = config.source(new SourceName("exposures"));
        assertEquals(new Relation.Table(List.of("analytics", "exposures")), exposures.relation());
        assertEquals("exposed_at", exposures.timestampColumn());
        assertEquals(Optional.of("uid"), exposures.idColumn(new IdType("user_id")));
        assertEquals(Optional.of(new Source.AssignmentColumns("experiment_name", "variant")), exposures.assignment());
    }

    @Test
    void sqlSourceKeepsTheQueryWithoutItsTrailingSemicolon() {
        Source sessions = config.source(new SourceName("sessions"));
        assertEquals(new Relation.Query("""
                -- one row per session
                WITH s AS (SELECT * FROM raw.sessions)
                SELECT org_id, user_id, started_at FROM s WHERE NOT is_bot"""), sessions.relation());
    }

    @Test
    void metricsOfEveryType() {
        SourceName events = new SourceName("events");
        Optional<String> purchase = Optional.of("event = 'purchase'");
        assertEquals(new Metric.Ratio(new MetricName("revenue_per_user"),
                        new UnitAggregate(events, AggregateFunction.SUM, Optional.of("revenue"), Optional.empty()),
                        new UnitAggregate(events, AggregateFunction.COUNT_DISTINCT, Optional.of("user_id"), Optional.empty())),
                metric("revenue_per_user"));
        assertEquals(new Metric.Sum(new MetricName("revenue"), events, "revenue", Optional.empty()), metric("revenue"));
        assertEquals(new Metric.Count(new MetricName("purchases"), events, purchase), metric("purchases"));
        assertEquals(new Metric.Mean(new MetricName("avg_purchase_value"), events, "revenue", purchase),
                metric("avg_purchase_value"));
        assertEquals(new Metric.UnitCount(new MetricName("purchasing_orgs"), events, purchase), metric("purchasing_orgs"));
        assertEquals(new Metric.CountDistinct(new MetricName("active_users"), events, "user_id", Optional.empty()),
                metric("active_users"));
    }

    @Test
    void ratioSidesMayComeFromDifferentSourcesAndQuotedSemicolonsAreFine() {
        assertEquals(new Metric.Ratio(new MetricName("sessions_per_user"),
                        new UnitAggregate(new SourceName("sessions"), AggregateFunction.COUNT_ROWS, Optional.empty(), Optional.empty()),
                        new UnitAggregate(new SourceName("events"), AggregateFunction.COUNT_DISTINCT, Optional.of("user_id"),
                                Optional.of("event <> 'bot; ping'"))),
                metric("sessions_per_user"));
    }

    @Test
    void experimentWithGroupShares() {
        Experiment pricing = experiment("pricing_v2");
        assertEquals(Experiment.builder().name(new ExperimentName("pricing_v2")).assignment(new SourceName("exposures"))
                .unit(new IdType("org_id")).control("control")
                .groups(List.of(new Group("control", 0.5), new Group("treat_a", 0.25), new Group("treat_b", 0.25)))
                .start(LocalDate.of(2026, 3, 1)).end(LocalDate.of(2026, 3, 28)).alpha(0.05)
                .metrics(metricNames("revenue_per_user", "revenue", "purchases", "avg_purchase_value", "purchasing_orgs"))
                .build(), pricing);
        assertTrue(pricing.groupsListed());
    }

    @Test
    void groupListIsAnEqualSplitAndEndIsOptional() {
        Experiment onboarding = experiment("onboarding");
        double third = 1.0 / 3;
        assertEquals(List.of(new Group("A", third), new Group("B", third), new Group("C", third)), onboarding.groups());
        assertEquals(Optional.empty(), onboarding.end());
        assertEquals(0.1, onboarding.alpha(), 0.0);
        assertEquals(metricNames("sessions_per_user"), onboarding.metrics());
    }

    @Test
    void defaultsWhenOmitted() {
        Experiment checkout = experiment("checkout");
        assertEquals(List.of(), checkout.groups());
        assertEquals(0.05, checkout.alpha(), 0.0);
        assertEquals(LocalDate.of(2026, 5, 1), checkout.start());
        assertEquals(Optional.of(LocalDate.of(2026, 5, 1)), checkout.end());
        assertEquals(List.copyOf(config.metrics().keySet()), checkout.metrics());
    }

    @Test
    void noWarehouseMeansInMemoryDuckDb() {
        PulseConfig minimal = ConfigLoader.load(FOLDER.resolve("minimal.yaml"));
        assertEquals(Engine.DUCKDB, minimal.warehouse().engine());
        assertEquals(Optional.empty(), minimal.warehouse().database());
        assertEquals(new Relation.Files(ABSOLUTE_FOLDER.resolve("events.csv").toString(), Relation.FileFormat.CSV),
                minimal.source(new SourceName("events")).relation());
        assertEquals(new Relation.Table(List.of("exposures")), minimal.source(new SourceName("exposures")).relation());
        assertEquals(metricNames("clicks"), minimal.experiment(new ExperimentName("button_color")).metrics());
    }

    @Test
    void yamlMergeKeysShareSettingsAndLocalKeysWin() {
        PulseConfig merged = ConfigLoader.load(FOLDER.resolve("merge-keys.yaml"));
        Experiment second = merged.experiment(new ExperimentName("second"));
        assertEquals(LocalDate.of(2026, 2, 1), second.start());
        assertEquals(new SourceName("exposures"), second.assignment());
        assertEquals(List.of(new Group("control", 0.5), new Group("treatment", 0.5)), second.groups());
    }

    private Metric metric(String name) {
        return config.metric(new MetricName(name));
    }

    private Experiment experiment(String name) {
        return config.experiment(new ExperimentName(name));
    }

    private static List<MetricName> metricNames(String... names) {
        return java.util.Arrays.stream(names).map(MetricName::new).toList();
    }
}
