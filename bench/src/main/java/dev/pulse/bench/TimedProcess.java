package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Runs one command as a whole process and measures what a user waits for: wall time from start
 * to exit. Every JVM it starts (directly or through a launcher script) logs its GC to
 * {@code runDir/gc-<pid>.log} via {@code JAVA_TOOL_OPTIONS}, which {@link HeapLog} turns into a peak
 * heap; if GNU {@code /usr/bin/time} exists it also records the max RSS (heap plus DuckDB's native
 * memory, which does grow with the data) and the CPU time (user + system) of the process tree,
 * which other load on a shared machine disturbs less than wall time. Output goes to files in
 * runDir, not through pipes.
 */
final class TimedProcess {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** One measured run; {@code peakHeapBytes}, {@code maxRssBytes} and {@code cpuSeconds} are -1 when unknown. */
    record Result(double seconds, double cpuSeconds, long peakHeapBytes, int jvms, long maxRssBytes) {}

    private TimedProcess() {}

    static Result run(List<String> command, Path workDir, Path runDir) throws IOException, InterruptedException {
        return run(command, workDir, runDir, java.util.Map.of());
    }

    /** {@link #run(List, Path, Path)} with {@code env} added to the process's environment. */
    static Result run(List<String> command, Path workDir, Path runDir, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        if (runDir.toString().matches(".*[\\s:].*")) {
            throw new IllegalArgumentException("results path must not contain spaces or ':' (JAVA_TOOL_OPTIONS): " + runDir);
        }
        List<String> full = new ArrayList<>();
        boolean timed = Files.isExecutable(GNU_TIME);
        if (timed) {
            full.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", runDir.resolve("time.txt").toString()));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectOutput(runDir.resolve("stdout.txt").toFile())
                .redirectError(runDir.resolve("stderr.txt").toFile());
        builder.environment().putAll(env);
        String inherited = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
        builder.environment().put("JAVA_TOOL_OPTIONS",
                (inherited + " -Xlog:gc*:file=" + runDir.resolve("gc-%p.log")).trim());

        long start = System.nanoTime();
        int exit = builder.start().waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("exit code " + exit + " from " + String.join(" ", command)
                    + "\n--- stderr (" + runDir.resolve("stderr.txt") + ") ---\n"
                    + tail(runDir.resolve("stderr.txt"), 20));
        }
        long peak = -1;
        int jvms = 0;
        try (Stream<Path> logs = Files.list(runDir)) {
            for (Path log : (Iterable<Path>) logs.filter(p -> p.getFileName().toString().startsWith("gc-"))::iterator) {
                jvms++;
                OptionalLong used = HeapLog.peakUsedBytes(log);
                if (used.isPresent()) {
                    peak = Math.max(peak, used.getAsLong());
                }
            }
        }
        String[] usage = timed ? gnuTime(runDir.resolve("time.txt")) : null;
        return usage == null
                ? new Result(seconds, -1, peak, jvms, -1)
                : new Result(seconds, Double.parseDouble(usage[1]) + Double.parseDouble(usage[2]), peak, jvms,
                        Long.parseLong(usage[0]) * 1024);
    }

    /** GNU time writes "%M %U %S" (KiB, s, s) as its last line; a first line may say the command failed. */
    private static String[] gnuTime(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).trim();
            if (line.matches("\\d+ [\\d.]+ [\\d.]+")) {
                return line.split(" ");
            }
        }
        return null;
    }

    private static String tail(Path file, int count) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
