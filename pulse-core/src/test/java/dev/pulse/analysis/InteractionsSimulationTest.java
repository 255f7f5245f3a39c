package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.InteractionScan;
import dev.pulse.stats.GroupMoments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration of the interaction tests by simulation, through the analysis itself ({@link Analyzer#results}) from
 * moments computed here from simulated units: 1,200 units of experiment a (control / treatment), of which 80 % are in
 * experiment b (control / v1 / v2, assigned independently of a unless said otherwise).
 * <ul>
 *   <li>Independent assignments: the χ² test rejects at 0.05 in about 5 % of runs; when b's v2 takes 60 % of a's
 *       treatment units and 20 % of its control units, it flags the assignments as dependent (p &lt; 0.001) nearly
 *       always.</li>
 *   <li>Additive effects (a's effect the same in every b group): the effect test rejects in about alpha of runs; with
 *       a's effect four times as large within v2, in most runs.</li>
 * </ul>
 * 2,000 runs: a binomial standard error of 0.005 at 0.05.
 */
class InteractionsSimulationTest {
    private static final ExperimentName A = new ExperimentName("a");
    private static final MetricName REVENUE = new MetricName("revenue");
    private static final List<String> B_GROUPS = List.of("control", "v1", "v2");
    private static final int RUNS = 2000;

    @TempDir
    Path temp;

    record Rates(double assignmentsRejected, double assignmentsDependent, double effectsFlagged) {}

    @Test
    void independentAssignmentsAndAdditiveEffectsRejectAtAlpha() throws Exception {
        Rates rates = simulate(config(), false, 2.0, 1);
        assertTrue(Math.abs(rates.assignmentsRejected() - 0.05) < 0.015, "chi-square at 0.05: " + rates.assignmentsRejected());
        assertTrue(rates.assignmentsDependent() < 0.005, "dependent: " + rates.assignmentsDependent());
        assertTrue(Math.abs(rates.effectsFlagged() - 0.05) < 0.015, "effects: " + rates.effectsFlagged());
    }

    @Test
    void dependentAssignmentsAndAnInteractionAreFound() throws Exception {
        Rates rates = simulate(config(), true, 8.0, 2);
        assertTrue(rates.assignmentsDependent() > 0.99, "dependent: " + rates.assignmentsDependent());
        assertTrue(rates.effectsFlagged() > 0.8, "power: " + rates.effectsFlagged());
    }

    /** {@code v2Effect}: a's effect within b's v2 (2 elsewhere). */
    private Rates simulate(PulseConfig config, boolean dependent, double v2Effect, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rejected = 0;
        int flaggedDependent = 0;
        int flagged = 0;
        for (int run = 0; run < RUNS; run++) {
            Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>(); // b value -> a group -> X
            for (int unit = 0; unit < 1200; unit++) {
                String a = random.nextBoolean() ? "treatment" : "control";
                String b = InteractionScan.NOT_IN_EXPERIMENT;
                if (random.nextDouble() < 0.8) {
                    double u = random.nextDouble();
                    double v2 = dependent ? (a.equals("treatment") ? 0.6 : 0.2) : 1.0 / 3;
                    b = u < v2 ? "v2" : u < v2 + (1 - v2) / 2 ? "v1" : "control";
                }
                double effect = a.equals("treatment") ? (b.equals("v2") ? v2Effect : 2.0) : 0.0;
                values.computeIfAbsent(b, k -> new LinkedHashMap<>()).computeIfAbsent(a, k -> new ArrayList<>())
                        .add(20 + 10 * random.nextGaussian() + effect);
            }
            List<DimensionData> slices = new ArrayList<>();
            Map<String, GroupMoments> total = new LinkedHashMap<>();
            Map<String, Long> units = new LinkedHashMap<>();
            values.forEach((b, groups) -> {
                Map<String, GroupMoments> moments = new LinkedHashMap<>();
                Map<String, Long> counts = new LinkedHashMap<>();
                groups.forEach((a, xs) -> {
                    GroupMoments m = moments(xs);
                    moments.put(a, m);
                    counts.put(a, (long) xs.size());
                    total.merge(a, m, GroupMoments::merge);
                    units.merge(a, (long) xs.size(), Long::sum);
                });
                slices.add(new DimensionData(InteractionScan.LABEL_PREFIX + "b", b, counts, Map.of(REVENUE, moments),
                        Map.of(), Map.of()));
            });
            ExperimentData data = new ExperimentData(units, Map.of(REVENUE, total), 0, 0, "", Map.of(), Map.of(), slices,
                    Optional.empty(), List.of(), 0);
            ExperimentResult.Interaction interaction = Analyzer.results(config, A, data).interactions().get(0);
            rejected += interaction.assignments().orElseThrow().pValue() < 0.05 ? 1 : 0;
            flaggedDependent += interaction.assignmentsDependent() ? 1 : 0;
            flagged += interaction.effects().get(0).flagged() ? 1 : 0;
        }
        return new Rates((double) rejected / RUNS, (double) flaggedDependent / RUNS, (double) flagged / RUNS);
    }

    private static GroupMoments moments(List<Double> xs) {
        double sum = 0;
        double squares = 0;
        for (double x : xs) {
            sum += x;
            squares += x * x;
        }
        return GroupMoments.ofSums(xs.size(), sum, squares);
    }

    private PulseConfig config() throws Exception {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                  events: {table: events, timestamp: ts, ids: {user_id: user_id}}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                experiments:
                  a:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-14
                    metrics: [revenue]
                    interactions: [b]
                  b:
                    assignment: exposures
                    unit: user_id
                    control: control
                    start: 2026-03-01
                    metrics: [revenue]
                """);
        return ConfigLoader.load(file);
    }
}
