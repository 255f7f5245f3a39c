package dev.pulse.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Bound values become typed BigQuery parameters, and result cells the values the JDBC warehouses give. */
class ParametersTest {

    @Test
    void aNullTakesItsColumnsTypeFromTheBatch() {
        List<List<QueryParameterValue>> rows = Parameters.rows(List.of(
                Arrays.asList("run", LocalDateTime.of(2026, 3, 1, 12, 0, 5), null),
                Arrays.asList("run", null, 1.5)));
        assertEquals(StandardSQLTypeName.FLOAT64, rows.get(0).get(2).getType());
        assertNull(rows.get(0).get(2).getValue());
        assertEquals(StandardSQLTypeName.TIMESTAMP, rows.get(1).get(1).getType());
        assertEquals("2026-03-01 12:00:05.000000+00:00", rows.get(0).get(1).getValue());
        assertEquals(StandardSQLTypeName.STRING, rows.get(0).get(0).getType());
    }

    @Test
    void aColumnOfNullsIsInt64AndAnInstantIsUtc() {
        List<QueryParameterValue> row = Parameters.of(Arrays.asList(null, Instant.parse("2026-03-01T00:00:00Z"), 3L));
        assertEquals(StandardSQLTypeName.INT64, row.get(0).getType());
        assertEquals("2026-03-01 00:00:00.000000+00:00", row.get(1).getValue());
        assertEquals(StandardSQLTypeName.INT64, row.get(2).getType());
    }

    @Test
    void resultCellsAreJdbcLikeValues() {
        List<Field> fields = List.of(Field.of("n", LegacySQLTypeName.INTEGER), Field.of("x", LegacySQLTypeName.FLOAT),
                Field.of("at", LegacySQLTypeName.TIMESTAMP), Field.of("s", LegacySQLTypeName.STRING));
        // BigQuery's REST answer: INT64 and FLOAT64 as text, TIMESTAMP as seconds since the epoch
        FieldValueList row = FieldValueList.of(List.of(
                FieldValue.of(FieldValue.Attribute.PRIMITIVE, "42"),
                FieldValue.of(FieldValue.Attribute.PRIMITIVE, "0.25"),
                FieldValue.of(FieldValue.Attribute.PRIMITIVE, "1772323200.5"),
                FieldValue.of(FieldValue.Attribute.PRIMITIVE, null)), fields.toArray(new Field[0]));
        List<Object> values = BigQueryWarehouse.values(fields, row);
        assertEquals(42L, values.get(0));
        assertEquals(0.25, (Double) values.get(1), 0.0);
        // 1772323200 s = 2026-03-01T00:00:00Z
        assertEquals(LocalDateTime.of(2026, 3, 1, 0, 0, 0, 500_000_000), values.get(2));
        assertNull(values.get(3));
    }
}
