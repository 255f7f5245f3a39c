package dev.pulse.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" hints: the closest candidate by Damerau–Levenshtein distance, if close enough. */
public final class Suggestions {
    private static final int MAX_DISTANCE = 2;
    /** Longer words get no hint: comparing them would cost their length squared. */
    private static final int MAX_LENGTH = 100;
    /** A list of candidates names at most this many. */
    private static final int LISTED = 20;

    private Suggestions() {}

    /**
     * The candidate closest to {@code word}, when its distance (insertions, deletions, substitutions
     * and swaps of neighbours, ignoring case) is at most 2 and at most half the candidate's length.
     * Ties go to the earlier candidate.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        if (word.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = word.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            if (candidate.equals(word) || Math.abs(candidate.length() - word.length()) > MAX_DISTANCE) {
                continue;
            }
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance <= MAX_DISTANCE && distance * 2 <= candidate.length() && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean 'x'?)"} or {@code ""}. */
    public static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /**
     * A hint naming the closest candidate, or else every candidate when there are few:
     * {@code " (expected one of: a, b, c)"}.
     */
    static String hintOrList(String word, Collection<String> candidates) {
        Optional<String> closest = closest(word, candidates);
        if (closest.isPresent()) {
            return " (did you mean '" + closest.get() + "'?)";
        }
        if (candidates.isEmpty()) {
            return "";
        }
        if (candidates.size() > LISTED) {
            return " (expected one of: " + String.join(", ", candidates.stream().limit(LISTED).toList()) + ", … and "
                    + (candidates.size() - LISTED) + " more)";
        }
        return " (expected one of: " + String.join(", ", candidates) + ")";
    }

    /** {@code text} as a message quotes it: at most 80 characters, then how many more. */
    public static String shortened(String text) {
        return Nodes.shortened(text);
    }

    /** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
