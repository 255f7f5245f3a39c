package dev.pulse.warehouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a small query result: column names in result order, each row a map from column name to
 * its JDBC value ({@code null} for SQL NULL).
 */
public record QueryResult(List<String> columns, List<Row> rows) {

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** One row. Values may be {@code null}; the map keeps the result's column order. */
    public record Row(Map<String, Object> values) {
        public Row {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /** The value of {@code column}, possibly {@code null}. */
        public Object get(String column) {
            if (!values.containsKey(column)) {
                throw new IllegalArgumentException("no column '" + column + "' in " + new ArrayList<>(values.keySet()));
            }
            return values.get(column);
        }

        /** The value of a numeric column as a double, or {@code null} for SQL NULL. */
        public Double getDouble(String column) {
            Object value = get(column);
            return value == null ? null : ((Number) value).doubleValue();
        }

        /** The value of a non-NULL integer column. */
        public long getLong(String column) {
            Object value = get(column);
            if (value == null) {
                throw new IllegalStateException("column '" + column + "' is NULL");
            }
            return ((Number) value).longValue();
        }

        /** The value of a column as a string, or {@code null} for SQL NULL. */
        public String getString(String column) {
            Object value = get(column);
            return value == null ? null : value.toString();
        }
    }
}
