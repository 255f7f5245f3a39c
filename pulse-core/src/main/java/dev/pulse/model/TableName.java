package dev.pulse.model;

import java.util.List;

/**
 * A table Pulse writes, possibly qualified: {@code analytics.pulse_results} is
 * {@code [analytics, pulse_results]}. Each part is quoted when rendered, so it is read verbatim.
 */
public record TableName(List<String> parts) {
    public TableName {
        parts = List.copyOf(parts);
        if (parts.isEmpty() || parts.size() > 3 || parts.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a table name has one to three non-blank parts, got " + parts);
        }
    }

    /** Reads {@code table}, {@code schema.table} or {@code database.schema.table}. */
    public static TableName parse(String text) {
        return new TableName(List.of(text.strip().split("\\.", -1)).stream().map(String::strip).toList());
    }

    /** The same name with its last part replaced by {@code name}: a table beside this one. */
    public TableName sibling(String name) {
        List<String> sibling = new java.util.ArrayList<>(parts.subList(0, parts.size() - 1));
        sibling.add(name);
        return new TableName(sibling);
    }

    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
