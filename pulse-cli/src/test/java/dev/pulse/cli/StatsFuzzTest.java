package dev.pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded fuzzer for {@code pulse stats}: mutates valid inputs (sum and ratio metrics, options) by
 * replacing values with extreme, negative, fractional, wrong-typed or nested ones and by deleting and
 * adding fields; every outcome must be exit 0 or 2 with no trace, and a JSON result must hold no NaN or
 * Infinity. Replay as {@link ConfigFuzzTest}: {@code -Dpulse.fuzz.seed=S -Dpulse.fuzz.only=I}.
 */
class StatsFuzzTest {
    private static final long SEED = Long.getLong("pulse.fuzz.seed", 20261206L);
    private static final int COUNT = Integer.getInteger("pulse.fuzz.count", 600);
    private static final int SECONDS = Integer.getInteger("pulse.fuzz.seconds", 20);
    private static final int ONLY = Integer.getInteger("pulse.fuzz.only", -1);
    private static final String VALID = """
            {"alpha": 0.05, "control": "control", "correction": "holm", "relative_ci": "fieller",
             "sequential": {"min_units": 100, "tau": 0.5},
             "metrics": [
              {"metric": "revenue_per_user", "type": "ratio", "direction": "increase",
               "groups": [{"name": "control", "n": 1000, "sum_x": 5120.5, "sum_x2": 90210.1,
                           "sum_y": 2100, "sum_y2": 6300, "sum_xy": 15000.2},
                          {"name": "treatment", "n": 1010, "sum_x": 5400.0, "sum_x2": 95000.0,
                           "sum_y": 2110, "sum_y2": 6400, "sum_xy": 15800.0}]},
              {"metric": "revenue", "type": "sum",
               "groups": [{"name": "control", "n": 4, "sum_x": 10, "sum_x2": 30},
                          {"name": "treatment", "n": 4, "sum_x": 14, "sum_x2": 54},
                          {"name": "other", "n": 1, "sum_x": 3, "sum_x2": 9}]}]}""";
    private static final String BAYESIAN = VALID.replace("\"correction\": \"holm\", \"relative_ci\": \"fieller\",\n"
            + "             \"sequential\": {\"min_units\": 100, \"tau\": 0.5},",
            "\"method\": \"bayesian\", \"prior\": {\"mean\": 0, \"sd\": 0.3},");
    private static final List<Object> VALUES = List.of(0, -1, 1, 2, 0.5, 1e-320, 1e-300, 1e300, -1e300, 1.7976931348623157e308,
            4.9e-324, 9007199254740993L, Long.MAX_VALUE, 1e23, 2.5, -0.0, "10", "", "control", "ratio", "bayesian",
            true, false, List.of(), List.of(1, 2));

    @TempDir
    Path folder;

    @Test
    void mutantsOfValidInputsAreExitZeroOrTwoWithNoTraceAndNoNaN() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> seeds = List.of(mapper.readTree(VALID), mapper.readTree(BAYESIAN));
        Path input = folder.resolve("input.json");
        long start = System.nanoTime();
        int run = 0;
        java.util.Map<Integer, Integer> codes = new java.util.TreeMap<>();
        for (int i = 0; i < COUNT && System.nanoTime() - start < SECONDS * 1_000_000_000L; i++) {
            if (ONLY >= 0 && i != ONLY) {
                continue;
            }
            Random random = new Random(SEED * 1_000_003L + i);
            JsonNode tree = seeds.get(random.nextInt(seeds.size())).deepCopy();
            List<String> mutations = new ArrayList<>();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                mutations.add(mutate(tree, random));
            }
            String text = mapper.writeValueAsString(tree);
            Files.writeString(input, text);
            String format = random.nextBoolean() ? "json" : (random.nextBoolean() ? "table" : "csv");
            HostileCorpusTest.Outcome outcome = HostileCorpusTest.run(
                    new String[] {"stats", "--input", input.toString(), "--format", format}, 30);
            String shown = "\nmutant " + i + " of seed " + SEED + " (replay: -Dpulse.fuzz.seed=" + SEED
                    + " -Dpulse.fuzz.only=" + i + "), mutations: " + mutations + "\nexit " + outcome.code()
                    + "\nstdout:\n" + outcome.out() + "\nstderr:\n" + outcome.err() + "\ninput:\n" + text;
            run++;
            codes.merge(outcome.code(), 1, Integer::sum);
            if (!Set.of(0, 2).contains(outcome.code())) {
                fail("exit code " + outcome.code() + shown);
            }
            HostileCorpusTest.assertNoTrace(outcome, shown);
            if (outcome.code() == 0 && format.equals("json")) {
                mapper.readTree(outcome.out());
                assertFalse(outcome.out().contains("NaN") || outcome.out().contains("Infinity"), "NaN in the result" + shown);
            }
        }
        System.out.printf("stats fuzzer: seed %d, %d mutants in %.1f s, exit codes (code=count) %s%n",
                SEED, run, (System.nanoTime() - start) / 1e9, codes);
    }

    /** One mutation somewhere in the tree. */
    private static String mutate(JsonNode tree, Random random) {
        List<JsonNode> objects = new ArrayList<>();
        collect(tree, objects);
        ObjectNode target = (ObjectNode) objects.get(random.nextInt(objects.size()));
        List<String> fields = new ArrayList<>();
        target.fieldNames().forEachRemaining(fields::add);
        if (fields.isEmpty()) {
            target.put("n", 1);
            return "add n";
        }
        String field = fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(6)) {
            case 0 -> {
                target.remove(field);
                return "delete " + field;
            }
            case 1 -> {
                target.put(field + (random.nextBoolean() ? "_" : "s"), 1);
                return "add a field near " + field;
            }
            case 2 -> {
                target.set(field, JsonNodeFactory.instance.objectNode().set("nested", JsonNodeFactory.instance.arrayNode().add(1)));
                return "nest under " + field;
            }
            default -> {
                Object value = VALUES.get(random.nextInt(VALUES.size()));
                target.set(field, new ObjectMapper().valueToTree(value));
                return "set " + field + " to " + value;
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
            object.elements().forEachRemaining(child -> collect(child, objects));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> collect(child, objects));
        }
    }
}
