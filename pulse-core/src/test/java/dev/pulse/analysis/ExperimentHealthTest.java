package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.MetricRole;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The health figures from hand-made results: units per day, the SRM p-value by day, exclusions, progress, MDE. */
public class ExperimentHealthTest {
    private static final LocalDate START = LocalDate.of(2026, 3, 1);

    static Comparison comparison(long control, long treatment) {
        return new Comparison(10.0, 11.0, control, treatment, new Interval(1.0, 0.4, 0.2, 1.8),
                new Interval(0.1, 0.04, 0.02, 0.18), 2000.0, 0.013, true, List.of());
    }

    private static MetricResult.DailyPoint day(int offset, long control, long treatment) {
        return new MetricResult.DailyPoint(START.plusDays(offset), control, treatment, comparison(control, treatment));
    }

    /** Three days: none exposed, then 10 and 14 units, then 25 and 24; the full result has 1,000 and 1,010. */
    public static ExperimentResult result(OptionalLong planned) {
        MetricResult revenue = new MetricResult("revenue", "sum", dev.pulse.model.Direction.TWO_SIDED,
                List.of(new MetricResult.GroupComparison("treat", "control", comparison(1000, 1010))), OptionalLong.of(7),
                Map.of("treat", List.of(day(0, 0, 0), day(1, 10, 14), day(2, 25, 24))));
        MetricResult clicks = new MetricResult("clicks", "count",
                List.of(new MetricResult.GroupComparison("treat", "control", comparison(1000, 1010))));
        return ExperimentResult.builder().experiment("e").unit("org_id").engine("duckdb").start(START)
                .end(Optional.of(START.plusDays(2))).alpha(0.05)
                .groups(List.of(new ExperimentResult.GroupCount("control", 1000, 0.5),
                        new ExperimentResult.GroupCount("treat", 1010, 0.5)))
                .excludedMultipleGroups(6).excludedNotTriggered(OptionalLong.of(3))
                .metrics(List.of(revenue, clicks)).roles(Map.of("revenue", MetricRole.PRIMARY, "clicks", MetricRole.GUARDRAIL))
                .plannedUnits(planned).sql("SELECT 1").build();
    }

    @Test
    void unitsPerDayAndTheSrmByDayComeFromTheDailyUnitCounts() {
        ExperimentHealth health = ExperimentHealth.of(result(OptionalLong.empty()));
        assertEquals(3, health.days().size());
        ExperimentHealth.Day first = health.days().get(0);
        assertEquals(Map.of("control", 0L, "treat", 0L), first.cumulativeUnits());
        assertTrue(first.srm().isEmpty(), "no units yet: no check");
        ExperimentHealth.Day second = health.days().get(1);
        assertEquals(Map.of("control", 10L, "treat", 14L), second.newUnits());
        // chi-square (10 − 12)²/12 + (14 − 12)²/12 = 0.6667 with 1 df: p = 2·(1 − Φ(0.8165)) = 0.4142 (normal table)
        assertEquals(0.666667, second.srm().orElseThrow().chiSquare(), 1e-6);
        assertEquals(0.4142, second.srm().orElseThrow().pValue(), 1e-4);
        ExperimentHealth.Day third = health.days().get(2);
        assertEquals(Map.of("control", 25L, "treat", 24L), third.cumulativeUnits());
        assertEquals(Map.of("control", 15L, "treat", 10L), third.newUnits());
        // (0.5² + 0.5²)/24.5 = 0.020408: p = 2·(1 − Φ(0.142857)) = 0.8864
        assertEquals(0.8864, third.srm().orElseThrow().pValue(), 1e-4);
    }

    @Test
    void everyExclusionIsListedWithItsReason() {
        List<ExperimentHealth.Exclusion> exclusions = ExperimentHealth.of(result(OptionalLong.empty())).exclusions();
        assertEquals(List.of("multiple_groups", "unknown_group", "not_triggered", "window_open:revenue"),
                exclusions.stream().map(ExperimentHealth.Exclusion::key).toList());
        assertEquals(List.of(6L, 0L, 3L, 7L), exclusions.stream().map(ExperimentHealth.Exclusion::count).toList());
    }

    @Test
    void progressAndTheDetectableEffectFollowThePlan() {
        ExperimentHealth without = ExperimentHealth.of(result(OptionalLong.empty()));
        assertTrue(without.progress().isEmpty());
        // only the primary metric is sized; k = z(0.975) + z(0.8) = 1.959964 + 0.841621 (docs/power.md)
        double k = 2.801585;
        assertEquals(1, without.power().size());
        ExperimentHealth.Detectable now = without.power().get(0);
        assertEquals("revenue", now.metric());
        // MDE = k·SE = k·0.4 absolute, over the control mean 10
        assertEquals(k * 0.4 / 10, now.now(), 1e-6);
        assertNull(now.planned());

        ExperimentHealth planned = ExperimentHealth.of(result(OptionalLong.of(4000)));
        assertEquals(2010, planned.progress().orElseThrow().units());
        assertEquals(2010 / 4000.0, planned.progress().orElseThrow().fraction(), 0.0);
        // σ² = SE²/(1/1000 + 1/1010); at 2,000 per group MDE = k·σ·√(2/2000)
        double sigma = Math.sqrt(0.16 / (1.0 / 1000 + 1.0 / 1010));
        assertEquals(k * sigma * Math.sqrt(2.0 / 2000) / 10, planned.power().get(0).planned(), 1e-6);
        assertFalse(planned.power().get(0).planned() >= now.now(), "more units detect a smaller effect");
    }

    @Test
    void withoutDailyResultsThereAreNoDays() {
        ExperimentResult result = result(OptionalLong.empty());
        ExperimentResult flat = result.withMetrics(List.of(new MetricResult("revenue", "sum",
                List.of(new MetricResult.GroupComparison("treat", "control", comparison(1000, 1010))))));
        assertTrue(ExperimentHealth.of(flat).days().isEmpty());
    }
}
