package dev.pulse.bigquery;

import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulse's bound values as BigQuery query parameters. BigQuery types every parameter, a NULL too, and coerces a
 * typed parameter far less than a literal: a NULL takes the type of the non-NULL values in its column of the same
 * batch, or else {@code INT64}, which BigQuery coerces to {@code FLOAT64} and {@code NUMERIC}. Timestamps without a
 * zone ({@code LocalDateTime}, as the other warehouses take them) are UTC, as everywhere in Pulse, and become
 * {@code TIMESTAMP}s.
 */
final class Parameters {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private Parameters() {}

    /** One row's values. */
    static List<QueryParameterValue> of(List<?> values) {
        return rows(List.of(values)).get(0);
    }

    /** Each row's values, a NULL typed from its column's other values. */
    static List<List<QueryParameterValue>> rows(List<? extends List<?>> rows) {
        int width = rows.isEmpty() ? 0 : rows.get(0).size();
        List<StandardSQLTypeName> columnTypes = new ArrayList<>();
        for (int column = 0; column < width; column++) {
            StandardSQLTypeName type = StandardSQLTypeName.INT64;
            for (List<?> row : rows) {
                if (row.get(column) != null) {
                    type = type(row.get(column));
                    break;
                }
            }
            columnTypes.add(type);
        }
        List<List<QueryParameterValue>> converted = new ArrayList<>();
        for (List<?> row : rows) {
            if (row.size() != width) {
                throw new IllegalArgumentException("rows of a batch have the same number of values: " + row);
            }
            List<QueryParameterValue> values = new ArrayList<>();
            for (int column = 0; column < width; column++) {
                values.add(value(row.get(column), columnTypes.get(column)));
            }
            converted.add(List.copyOf(values));
        }
        return converted;
    }

    private static StandardSQLTypeName type(Object value) {
        if (value instanceof String) {
            return StandardSQLTypeName.STRING;
        } else if (value instanceof Long || value instanceof Integer) {
            return StandardSQLTypeName.INT64;
        } else if (value instanceof Double) {
            return StandardSQLTypeName.FLOAT64;
        } else if (value instanceof Instant || value instanceof LocalDateTime) {
            return StandardSQLTypeName.TIMESTAMP;
        }
        throw new IllegalArgumentException("not a value Pulse binds: a " + value.getClass().getSimpleName());
    }

    private static QueryParameterValue value(Object value, StandardSQLTypeName type) {
        if (value == null) {
            return QueryParameterValue.of(null, type);
        }
        return switch (type(value)) {
            case STRING -> QueryParameterValue.string((String) value);
            case INT64 -> QueryParameterValue.int64(((Number) value).longValue());
            case FLOAT64 -> QueryParameterValue.float64((Double) value);
            case TIMESTAMP -> QueryParameterValue.timestamp(TIMESTAMP.format(utc(value)) + "+00:00");
            default -> throw new IllegalStateException("unreachable: " + type);
        };
    }

    private static LocalDateTime utc(Object value) {
        return value instanceof Instant instant ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : (LocalDateTime) value;
    }
}
