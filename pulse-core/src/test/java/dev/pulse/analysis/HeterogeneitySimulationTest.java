package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.stats.CovariateMoments;
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
 * Calibration of the heterogeneity tests by simulation, through the analysis itself ({@link Analyzer#results}) from
 * moments computed here from simulated units: five values of one dimension, of unequal sizes, baselines and
 * spreads.
 * <ul>
 *   <li>When the treatment's absolute effect is the same in every value, the family-wise rate of any flagged value
 *       stays at or below alpha (Holm), with and without CUPED; flagging by the uncorrected p-values would exceed it.</li>
 *   <li>When one value's effect differs, that value is flagged most of the time, and far more often than the others
 *       (whose rests contain it, so they differ from their rests a little too).</li>
 * </ul>
 * Tolerances: 2,000 runs give a binomial standard error of 0.005 at 0.05.
 */
class HeterogeneitySimulationTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final MetricName REVENUE = new MetricName("revenue");
    private static final int[] SIZES = {600, 400, 250, 150, 100};
    private static final double[] BASELINES = {20, 25, 15, 10, 12};
    private static final double[] SPREADS = {8, 12, 5, 4, 6};
    private static final int RUNS = 2000;

    @TempDir
    Path temp;

    @Test
    void sameEffectEverywhereFlagsAtMostAlphaOfTheTime() throws Exception {
        for (boolean cuped : new boolean[] {false, true}) {
            Rates rates = simulate(config(cuped), cuped, new double[] {2, 2, 2, 2, 2}, 1);
            assertTrue(rates.anyFlagged() <= 0.05 + 0.015, "cuped " + cuped + ": family-wise rate " + rates.anyFlagged());
            assertTrue(rates.anyFlagged() >= 0.01, "cuped " + cuped + ": the test is not dead: " + rates.anyFlagged());
            assertTrue(rates.anyUncorrected() > 0.1, "without the correction the rate would be "
                    + rates.anyUncorrected() + ": the correction matters");
        }
    }

    @Test
    void oneDifferentValueIsFlagged() throws Exception {
        for (boolean cuped : new boolean[] {false, true}) {
            Rates rates = simulate(config(cuped), cuped, new double[] {2, 2, 6, 2, 2}, 2);
            assertTrue(rates.valueFlagged()[2] > 0.8, "cuped " + cuped + ": power " + rates.valueFlagged()[2]);
            // every other value's rest includes the odd one, so its effect truly differs from its rest's too (by
            // 4·250/900 ≈ 1.1 for the largest value): those may be flagged, the odd value most often
            for (int v : new int[] {0, 1, 3, 4}) {
                assertTrue(rates.valueFlagged()[v] < rates.valueFlagged()[2] - 0.3,
                        "cuped " + cuped + ": value " + v + " " + rates.valueFlagged()[v]);
            }
        }
    }

    record Rates(double anyFlagged, double anyUncorrected, double[] valueFlagged) {}

    private Rates simulate(PulseConfig config, boolean cuped, double[] effects, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int any = 0;
        int anyUncorrected = 0;
        int[] flagged = new int[SIZES.length];
        for (int run = 0; run < RUNS; run++) {
            List<DimensionData> values = new ArrayList<>();
            Map<String, GroupMoments> total = new LinkedHashMap<>();
            Map<String, CovariateMoments> totalCovariates = new LinkedHashMap<>();
            Map<String, Long> units = new LinkedHashMap<>();
            for (int v = 0; v < SIZES.length; v++) {
                Map<String, GroupMoments> moments = new LinkedHashMap<>();
                Map<String, CovariateMoments> covariates = new LinkedHashMap<>();
                Map<String, Long> counts = new LinkedHashMap<>();
                for (String group : List.of("control", "treatment")) {
                    int n = SIZES[v] / 2;
                    double[] pre = new double[n];
                    double[] post = new double[n];
                    for (int i = 0; i < n; i++) {
                        pre[i] = BASELINES[v] + SPREADS[v] * random.nextGaussian();
                        post[i] = BASELINES[v] + 0.8 * (pre[i] - BASELINES[v]) + 0.6 * SPREADS[v] * random.nextGaussian()
                                + (group.equals("treatment") ? effects[v] : 0);
                    }
                    CovariateMoments c = covariates(pre, post);
                    moments.put(group, c.post());
                    covariates.put(group, c);
                    counts.put(group, (long) n);
                    total.merge(group, c.post(), GroupMoments::merge);
                    totalCovariates.merge(group, c, CovariateMoments::merge);
                    units.merge(group, (long) n, Long::sum);
                }
                values.add(new DimensionData("country", "v" + v, counts, Map.of(REVENUE, moments),
                        cuped ? Map.of(REVENUE, covariates) : Map.of(), Map.of()));
            }
            ExperimentData data = new ExperimentData(units, Map.of(REVENUE, total), 0, 0, "",
                    cuped ? Map.of(REVENUE, totalCovariates) : Map.of(), Map.of(), values, Optional.empty(), List.of(), 0);
            ExperimentResult result = Analyzer.results(config, EXP, data);
            boolean runAny = false;
            boolean runUncorrected = false;
            for (ExperimentResult.DimensionResult value : result.dimensions()) {
                ExperimentResult.Heterogeneity test = value.heterogeneity("revenue", "treatment").orElseThrow();
                if (cuped && value.metrics().get(0).comparisons().get(0).cuped().isEmpty()) {
                    throw new AssertionError("the value's comparison is not CUPED-adjusted");
                }
                runAny |= test.flagged();
                runUncorrected |= test.test().pValue() < 0.05;
                if (test.flagged()) {
                    flagged[Integer.parseInt(value.value().substring(1))]++;
                }
            }
            any += runAny ? 1 : 0;
            anyUncorrected += runUncorrected ? 1 : 0;
        }
        double[] rates = new double[SIZES.length];
        for (int v = 0; v < rates.length; v++) {
            rates[v] = (double) flagged[v] / RUNS;
        }
        return new Rates((double) any / RUNS, (double) anyUncorrected / RUNS, rates);
    }

    /** The moments of one group's units (Y ≡ 1): two-pass means, variances and the pre/post covariance. */
    private static CovariateMoments covariates(double[] pre, double[] post) {
        int n = pre.length;
        double meanPre = 0;
        double meanPost = 0;
        for (int i = 0; i < n; i++) {
            meanPre += pre[i] / n;
            meanPost += post[i] / n;
        }
        double varPre = 0;
        double varPost = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
            varPre += (pre[i] - meanPre) * (pre[i] - meanPre) / (n - 1);
            varPost += (post[i] - meanPost) * (post[i] - meanPost) / (n - 1);
            cov += (pre[i] - meanPre) * (post[i] - meanPost) / (n - 1);
        }
        return new CovariateMoments(new GroupMoments(n, meanPost, 1, varPost, 0, 0),
                new GroupMoments(n, meanPre, 1, varPre, 0, 0), cov, 0, 0, 0);
    }

    private PulseConfig config(boolean cuped) throws Exception {
        Path file = temp.resolve("pulse" + cuped + ".yaml");
        Files.writeString(file, """
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                  events: {table: events, timestamp: ts, ids: {user_id: user_id}}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                experiments:
                  exp:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-14
                    metrics: [revenue]
                    dimensions: [country]
                """ + (cuped ? "    cuped: {lookback_days: 14}\n" : ""));
        return ConfigLoader.load(file);
    }
}
