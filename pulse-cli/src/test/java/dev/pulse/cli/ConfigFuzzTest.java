package dev.pulse.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded config fuzzer: mutates valid configs (the demo's, its ID-resolution and event-level examples,
 * and richer ones with daily results, dimensions, CUPED, a percentile metric and options) at the YAML
 * level ({@link ConfigMutator}), runs {@code pulse validate} on each mutant, and {@code pulse sql} for every
 * experiment and {@code pulse analyze} on the valid ones over small demo data, and checks that every outcome is exit 0, 2 or 3 with no JVM trace
 * and no internal error. Bounded by a number of mutants and a time budget (whichever comes first).
 *
 * <p>Replay: {@code -Dpulse.fuzz.seed=S} (the seed of the whole run, printed on failure) with
 * {@code -Dpulse.fuzz.only=I} to run mutant I alone; {@code -Dpulse.fuzz.count=N} and
 * {@code -Dpulse.fuzz.seconds=T} change the bounds.
 */
class ConfigFuzzTest {
    private static final long SEED = Long.getLong("pulse.fuzz.seed", 20261206L);
    private static final int COUNT = Integer.getInteger("pulse.fuzz.count", 400);
    private static final int SECONDS = Integer.getInteger("pulse.fuzz.seconds", 45);
    private static final int ONLY = Integer.getInteger("pulse.fuzz.only", -1);
    /** At most this share of the time goes to analyze, so that validate sees most mutants. */
    private static final double ANALYZE_SHARE = 0.6;
    private static final int MUTANT_TIMEOUT_SECONDS = 60;

    @TempDir
    static Path folder;
    static Path demo;
    static List<String> seeds;

    @BeforeAll
    static void makeDemo() throws Exception {
        demo = folder.resolve("demo");
        HostileCorpusTest.Outcome made = HostileCorpusTest.run(
                new String[] {"demo", "--dir", demo.toString(), "--orgs", "60"}, 300);
        assertEquals(0, made.code(), made.err());
        String plain = Files.readString(demo.resolve("pulse.yaml"));
        seeds = List.of(plain,
                Files.readString(demo.resolve("id-resolution.yaml")),
                Files.readString(demo.resolve("event-level.yaml")),
                rich(plain));
    }

    /** The demo config with a percentile metric, a windowed metric, and an experiment with every option. */
    static String rich(String plain) {
        return plain.replace("  active_users:", String.join("\n",
                "  p90_purchase: {type: percentile, source: events, value: revenue, percentile: 0.9, filter: \"event = 'purchase'\"}",
                "  purchased_in_week_3:",
                "    type: unit_count",
                "    source: events",
                "    filter: \"event = 'purchase'\"",
                "    window: {start_days: 14, end_days: 21}",
                "  active_users:")) + """
                  pricing_rich:
                    assignment: exposures
                    unit: org_id
                    control: control
                    groups: [control, treatment]
                    start: 2026-03-01
                    end: 2026-03-28
                    metrics: [revenue_per_user, revenue, p90_purchase, purchased_in_week_3]
                    dimensions: [country, platform]
                    dimension_values: 3
                    timeseries: true
                    cuped: {lookback_days: 3}
                    correction: holm
                    relative_ci: fieller
                """;
    }

    @Test
    void mutantsOfValidConfigsAreExitZeroTwoOrThreeWithNoTrace() throws Exception {
        for (int i = 0; i < seeds.size(); i++) {
            Path file = demo.resolve("seed-" + i + ".yaml");
            Files.writeString(file, seeds.get(i));
            HostileCorpusTest.Outcome valid = HostileCorpusTest.run(new String[] {"validate", "--config", file.toString()}, 60);
            assertEquals(0, valid.code(), "seed config " + i + " must be valid: " + valid.err());
        }
        long start = System.nanoTime();
        long budget = SECONDS * 1_000_000_000L;
        long analyzing = 0;
        int validated = 0;
        int analyzed = 0;
        Set<Integer> codes = new java.util.TreeSet<>();
        for (int i = 0; i < COUNT && System.nanoTime() - start < budget; i++) {
            if (ONLY >= 0 && i != ONLY) {
                continue;
            }
            Random random = new Random(SEED * 1_000_003L + i);
            String seed = seeds.get(random.nextInt(seeds.size()));
            ConfigMutator.Mutant mutant = ConfigMutator.mutate(seed, random);
            Path file = demo.resolve("mutant.yaml");
            Files.writeString(file, mutant.text());
            String replay = "mutant " + i + " of seed " + SEED + " (replay: -Dpulse.fuzz.seed=" + SEED
                    + " -Dpulse.fuzz.only=" + i + "), mutations: " + mutant.mutations();
            HostileCorpusTest.Outcome validate = check(replay, mutant, Set.of(0, 2), "validate", "--config", file.toString());
            validated++;
            codes.add(validate.code());
            if (validate.code() == 0) {
                // the SQL of every experiment: planning and rendering, no warehouse
                for (dev.pulse.model.ExperimentName name : dev.pulse.config.ConfigLoader.load(file).experiments().keySet()) {
                    check(replay, mutant, Set.of(0, 2), "sql", "--config", file.toString(), "--experiment", name.value());
                }
            }
            if (validate.code() == 0 && (analyzing < ANALYZE_SHARE * budget || ONLY >= 0)) {
                long before = System.nanoTime();
                HostileCorpusTest.Outcome analyze = check(replay, mutant, Set.of(0, 2, 3),
                        "analyze", "--config", file.toString(), "--format", "json");
                analyzing += System.nanoTime() - before;
                analyzed++;
                codes.add(analyze.code());
            }
        }
        System.out.printf("config fuzzer: seed %d, %d mutants validated, %d analysed in %.1f s, exit codes %s%n",
                SEED, validated, analyzed, (System.nanoTime() - start) / 1e9, codes);
        assertTrue(validated >= Math.min(COUNT, 50) || ONLY >= 0, "too few mutants in the time budget: " + validated);
    }

    private static HostileCorpusTest.Outcome check(String replay, ConfigMutator.Mutant mutant, Set<Integer> allowed,
            String... args) throws InterruptedException {
        HostileCorpusTest.Outcome outcome;
        try {
            outcome = HostileCorpusTest.run(args, MUTANT_TIMEOUT_SECONDS);
        } catch (AssertionError e) {
            throw new AssertionError(replay + ": " + args[0] + ": " + e.getMessage() + "\n--- mutant ---\n"
                    + shown(mutant.text()), e);
        }
        String shown = "\n" + replay + "\n" + args[0] + " exit " + outcome.code() + "\nstdout:\n" + shown(outcome.out())
                + "\nstderr:\n" + shown(outcome.err()) + "\n--- mutant ---\n" + shown(mutant.text());
        if (!allowed.contains(outcome.code())) {
            fail("exit code " + outcome.code() + " not in " + allowed + shown);
        }
        HostileCorpusTest.assertNoTrace(outcome, shown);
        return outcome;
    }

    private static String shown(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "… (" + (text.length() - 4000) + " more characters)";
    }
}
