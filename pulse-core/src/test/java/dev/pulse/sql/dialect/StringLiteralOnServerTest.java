package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.error.PulseException;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link dev.pulse.sql.Dialect#stringLiteral}, which renders values from the config (experiment names, listed
 * groups, dimension names), read back by the engines themselves: each value comes back exactly, on DuckDB and on
 * PostgreSQL with {@code standard_conforming_strings} on and off in the session (where a backslash in
 * {@code '…'} is an escape). A NUL, which neither DuckDB's SQL text nor PostgreSQL's text can hold, is a
 * SQL_UNSUPPORTED error (exit 2) naming the value instead of a statement cut short.
 */
class StringLiteralOnServerTest {
    static final List<String> VALUES = List.of("plain", "it's", "''", "back\\slash", "ends in \\", "\\", "\\'",
            "x\\'); DROP TABLE t; --", "\\\\ two", "$$ $tag$", "?", "\"quoted\"", "ünïcødé Ω 🚀", "tab\tnew\nline", "E'x'");

    @Test
    void duckDbReadsEveryLiteralBack() {
        try (Warehouse duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            for (String value : VALUES) {
                assertEquals(value, read(duckDb, DuckDbDialect.DEFAULT.stringLiteral(value)), value);
            }
        }
        PulseException nul = assertThrows(PulseException.class, () -> DuckDbDialect.DEFAULT.stringLiteral("a\0b"));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, nul.category());
    }

    @ParameterizedTest(name = "standard_conforming_strings = {0}")
    @ValueSource(strings = {"on", "off"})
    void postgresReadsEveryLiteralBackUnderEitherSetting(String setting) {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_literals")) {
            schema.warehouse().execute("SET standard_conforming_strings = " + setting);
            for (String value : VALUES) {
                assertEquals(value, read(schema.warehouse(), PostgresDialect.DEFAULT.stringLiteral(value)), value);
            }
        }
    }

    /**
     * Redshift reads a backslash in every {@code '…'} as an escape, as PostgreSQL does with
     * {@code standard_conforming_strings} off (Redshift is PostgreSQL 8.0, from before the setting): its literals
     * read back exactly there.
     */
    @Test
    void redshiftLiteralsReadBackWhereBackslashesEscape() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_literals")) {
            schema.warehouse().execute("SET standard_conforming_strings = off");
            schema.warehouse().execute("SET escape_string_warning = off");
            for (String value : VALUES) {
                assertEquals(value, read(schema.warehouse(), RedshiftDialect.DEFAULT.stringLiteral(value)), value);
            }
        }
        PulseException nul = assertThrows(PulseException.class, () -> RedshiftDialect.DEFAULT.stringLiteral("a\0b"));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, nul.category());
    }

    private static String read(Warehouse warehouse, String literal) {
        return warehouse.query("SELECT " + literal + " AS v").rows().get(0).getString("v");
    }
}
