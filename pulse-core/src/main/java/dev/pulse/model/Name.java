package dev.pulse.model;

import java.util.regex.Pattern;

/** Checks for the names users give to sources, metrics, experiments and ID types. */
final class Name {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    private Name() {}

    static String check(String kind, String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    kind + " must be letters, digits, underscores, dots or dashes: '" + value + "'");
        }
        return value;
    }
}
