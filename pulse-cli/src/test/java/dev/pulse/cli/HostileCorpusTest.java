package dev.pulse.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The corpus of hostile inputs under {@code src/test/resources/hostile/<class>/<case>/}: each case is a
 * folder, copied to a fresh temporary folder ({@code {dir}}, also replaced inside every text file of the
 * copy), with a {@code case.yaml}:
 *
 * <pre>
 * description: what this hostile input is, one line
 * args: [validate, --config, "{dir}/pulse.yaml"]
 * exit: 2
 * stderr: ["pulse.yaml:3:5", "expected …"]   # substrings that must appear
 * stdout: []                                   # optional
 * absent: [pwned.txt]                          # optional: files that must not exist in {dir} afterwards
 * timeout_seconds: 5                           # optional (default 60)
 * </pre>
 *
 * Each runs {@code PulseCli.execute} in process and checks the exit code, the substrings, the absent
 * files, and always that neither stream holds a JVM trace ({@code \tat }, {@code Exception in thread},
 * {@code internal error}) unless the case sets {@code trace_allowed: true}.
 */
class HostileCorpusTest {
    /** What no output may hold: signs of a JVM stack trace or an internal error. */
    static final List<String> TRACES = List.of("\tat ", "Exception in thread", "internal error");
    private static final Set<String> KEYS = Set.of("description", "args", "exit", "stderr", "stdout", "absent",
            "timeout_seconds", "trace_allowed");
    private static final int DEFAULT_TIMEOUT_SECONDS = 60;

    record Outcome(int code, String out, String err) {}

    @TestFactory
    Stream<DynamicTest> hostileInputs() throws IOException {
        Path corpus = corpus();
        List<Path> cases;
        try (Stream<Path> files = Files.walk(corpus)) {
            cases = files.filter(file -> file.getFileName().toString().equals("case.yaml"))
                    .map(Path::getParent).sorted().toList();
        }
        assertFalse(cases.isEmpty(), "no cases under " + corpus);
        return cases.stream().map(folder -> DynamicTest.dynamicTest(
                corpus.relativize(folder).toString().replace('\\', '/'), () -> check(folder)));
    }

    static Path corpus() {
        URL url = HostileCorpusTest.class.getClassLoader().getResource("hostile");
        if (url == null) {
            throw new IllegalStateException("no hostile/ folder among the test resources");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(Path source) throws Exception {
        Map<String, Object> spec = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(source.resolve("case.yaml")));
        for (String key : spec.keySet()) {
            assertTrue(KEYS.contains(key), source + "/case.yaml: unknown key '" + key + "' (expected one of " + KEYS + ")");
        }
        assertTrue(spec.get("description") instanceof String, "case.yaml needs a description");
        Path dir = Files.createTempDirectory("pulse-hostile-");
        try {
            copy(source, dir);
            String folder = dir.toString();
            String[] args = ((List<Object>) spec.get("args")).stream()
                    .map(arg -> String.valueOf(arg).replace("{dir}", folder)).toArray(String[]::new);
            int timeout = spec.containsKey("timeout_seconds")
                    ? ((Number) spec.get("timeout_seconds")).intValue() : DEFAULT_TIMEOUT_SECONDS;
            Outcome outcome = run(args, timeout);
            String shown = "\nargs: " + String.join(" ", args) + "\nexit: " + outcome.code() + "\nstdout:\n"
                    + outcome.out() + "\nstderr:\n" + outcome.err();
            assertEquals(((Number) spec.get("exit")).intValue(), outcome.code(), "exit code" + shown);
            for (String expected : strings(spec.get("stderr"), folder)) {
                assertTrue(outcome.err().contains(expected), "stderr lacks '" + expected + "'" + shown);
            }
            for (String expected : strings(spec.get("stdout"), folder)) {
                assertTrue(outcome.out().contains(expected), "stdout lacks '" + expected + "'" + shown);
            }
            for (String file : strings(spec.get("absent"), folder)) {
                assertFalse(Files.exists(dir.resolve(file)), file + " must not exist afterwards" + shown);
            }
            if (!Boolean.TRUE.equals(spec.get("trace_allowed"))) {
                assertNoTrace(outcome, shown);
            }
        } finally {
            delete(dir);
        }
    }

    /** Fails when either stream shows a JVM trace or an internal error. */
    static void assertNoTrace(Outcome outcome, String shown) {
        for (String trace : TRACES) {
            assertFalse(outcome.out().contains(trace) || outcome.err().contains(trace),
                    "the output holds '" + trace.replace("\t", "\\t") + "'" + shown);
        }
    }

    /** Runs the CLI in process on a thread of its own, failing after {@code timeoutSeconds}. */
    static Outcome run(String[] args, int timeoutSeconds) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread worker = new Thread(null, runnable, "hostile-case", 0);
            worker.setDaemon(true);
            return worker;
        });
        try {
            Future<Integer> code = thread.submit(() -> PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args));
            return new Outcome(code.get(timeoutSeconds, TimeUnit.SECONDS), out.toString(), err.toString());
        } catch (TimeoutException e) {
            return fail("did not finish within " + timeoutSeconds + " s: " + String.join(" ", args));
        } catch (ExecutionException e) {
            return fail("PulseCli.execute threw " + e.getCause(), e.getCause());
        } finally {
            thread.shutdownNow();
        }
    }

    private static List<String> strings(Object value, String folder) {
        if (value == null) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            strings.add(String.valueOf(item).replace("{dir}", folder));
        }
        return strings;
    }

    /** Copies {@code from} into {@code to}, replacing {dir} in every file that is UTF-8 text. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                try {
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                    Files.writeString(target, text.replace("{dir}", to.toString()));
                } catch (CharacterCodingException e) {
                    Files.write(target, bytes);
                }
            }
        }
    }

    static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
