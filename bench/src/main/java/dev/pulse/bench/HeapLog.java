package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak Java heap use of one JVM, read from its unified GC log ({@code -Xlog:gc*:file=…}).
 *
 * <p>Heap occupancy only grows between collections (allocation never frees memory; only a GC
 * does), so its maximum over the JVM's life is reached either just before some collection or at
 * exit. The log gives both: every pause line {@code [gc] GC(n) Pause … 24M->3M(380M)} starts with
 * the occupancy before the pause, and the {@code [gc,heap,exit]} summary ends with the occupancy at
 * exit ({@code … total 397312K, used 5003K}, one line for G1, one per generation for Serial and
 * Parallel). The peak is the larger of the two — exact, not sampled, and independent of timing.
 * It counts garbage not yet collected too, which is the point: a program that pulled every event
 * row into the JVM would show it here even if no collection ran.
 */
final class HeapLog {
    private static final Pattern PAUSE = Pattern.compile(
            "\\[gc\\s*\\]\\s*GC\\(\\d+\\).*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern EXIT_USED = Pattern.compile(
            "\\[gc,heap,exit\\s*\\].*\\btotal (\\d+)K, used (\\d+)K");

    private HeapLog() {}

    /** The peak heap occupancy in bytes, or empty if the log holds neither a pause nor an exit summary. */
    static OptionalLong peakUsedBytes(List<String> lines) {
        long peak = -1;
        long atExit = 0;
        boolean sawExit = false;
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                peak = Math.max(peak, bytes(pause.group(1), pause.group(2)));
                continue;
            }
            Matcher exit = EXIT_USED.matcher(line);
            if (exit.find()) {
                atExit += Long.parseLong(exit.group(2)) * 1024; // summed over generations
                sawExit = true;
            }
        }
        if (sawExit) {
            peak = Math.max(peak, atExit);
        }
        return peak < 0 ? OptionalLong.empty() : OptionalLong.of(peak);
    }

    static OptionalLong peakUsedBytes(Path log) throws IOException {
        return peakUsedBytes(Files.readAllLines(log));
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
