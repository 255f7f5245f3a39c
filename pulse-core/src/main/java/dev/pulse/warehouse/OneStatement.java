package dev.pulse.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.error.PulseException;
import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The check every statement passes before a JDBC warehouse runs it: that it is exactly one statement. The
 * drivers do not promise it: DuckDB's JDBC {@code prepare} and {@code execute} run every statement of a text
 * but the last one first, and the PostgreSQL driver splits a text at its {@code ;} and sends each piece.
 * Pulse's own statements are one statement each; the check makes sure that no text from a config (a filter,
 * a {@code sql:} source) or from the data can make them more.
 *
 * <ul>
 *   <li>Both: Pulse's scan with the engine's lexical rules ({@link Lexicon}) counts one statement, and the
 *       text holds no NUL character (DuckDB's parser reads a C string and would stop there).
 *   <li>DuckDB: DuckDB's own parser agrees, through {@code json_serialize_sql}, which parses the text (bound
 *       as a parameter) and runs nothing; it serializes SELECT statements only, so Pulse's few other
 *       statements (its DDL, whose only inputs are quoted names) rest on the scan. A text DuckDB cannot
 *       parse at all is passed on: DuckDB parses the whole text before it runs any of it, so it fails with
 *       DuckDB's own message and runs nothing.
 *   <li>PostgreSQL: the driver's own splitter ({@code Parser.parseJdbcSql}) finds one query, so the driver
 *       sends one Parse message, and the server refuses a Parse message with more than one command
 *       (extended query protocol; {@link PostgresWarehouse} refuses the simple protocol).
 *   <li>Trino: the server parses exactly one statement per request and refuses a second one ({@code SELECT 1;
 *       SELECT 2} fails with {@code line 1:9: mismatched input ';'}, and so does a trailing {@code ;}), so the
 *       scan is the only check Pulse adds; the driver sends the text as it is.
 * </ul>
 */
final class OneStatement {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OneStatement() {}

    /** Throws INPUT_INVALID unless {@code sql} is one statement for DuckDB. */
    static void duckDb(Connection connection, String sql) {
        scanned(Lexicon.POSTGRES_FAMILY, sql);
        JsonNode parsed = parseWithDuckDb(connection, sql);
        if (!parsed.path("error").asBoolean()) {
            int statements = parsed.path("statements").size();
            if (statements != 1) {
                throw refused(sql, "DuckDB's parser finds " + statements + " statements");
            }
        }
    }

    /**
     * Throws INPUT_INVALID unless {@code sql} is one statement for PostgreSQL and its JDBC driver. The driver
     * splits with the session's {@code standard_conforming_strings} as the server last reported it, so the
     * count is taken with that setting: were it off (Pulse sets it on), {@code 'a\''; DROP …; --'} would be
     * one string to Pulse's scan but two statements to the driver.
     */
    static void postgres(Connection connection, String sql) {
        scanned(Lexicon.POSTGRES_FAMILY, sql);
        int queries;
        try {
            boolean standardStrings = connection.unwrap(org.postgresql.core.BaseConnection.class).getStandardConformingStrings();
            queries = org.postgresql.core.Parser.parseJdbcSql(sql, standardStrings, true, true, false, false).size();
        } catch (SQLException e) {
            throw Jdbc.failed("the PostgreSQL driver cannot read a statement", e);
        }
        if (queries != 1) {
            throw refused(sql, "the PostgreSQL driver would send " + queries + " statements");
        }
    }

    /** Throws INPUT_INVALID unless {@code sql} is one statement by Trino's lexical rules (the server checks again). */
    static void trino(String sql) {
        scanned(Lexicon.TRINO, sql);
    }

    /**
     * Throws INPUT_INVALID unless {@code sql} is one statement for Redshift and its JDBC driver. The driver is a fork
     * of PostgreSQL's: it splits a text at its {@code ;} with the server's {@code standard_conforming_strings}
     * ({@code com.amazon.redshift.core.Parser.parseJdbcSql}; RedshiftDriverSplitTest), while Redshift reads every
     * {@code '…'} with backslash escapes. So the text must be one statement under both readings — Redshift's
     * ({@link Lexicon#REDSHIFT}) and standard strings ({@link Lexicon#POSTGRES_FAMILY}) — whichever the driver
     * uses; {@code RedshiftWarehouse} also turns the driver's multi-statement support off, so it refuses a text it
     * would split.
     */
    static void redshift(String sql) {
        scanned(Lexicon.REDSHIFT, sql);
        scanned(Lexicon.POSTGRES_FAMILY, sql);
    }

    /**
     * Throws INPUT_INVALID unless {@code sql} is one statement by Snowflake's lexical rules. Snowflake's driver
     * sends the text whole; the server splits it, and refuses more than one statement while the session's
     * {@code MULTI_STATEMENT_COUNT} is 1, which {@code SnowflakeWarehouse} sets.
     */
    static void snowflake(String sql) {
        scanned(Lexicon.SNOWFLAKE, sql);
    }

    static void scanned(Lexicon lexicon, String sql) {
        if (sql.indexOf('\0') >= 0) {
            // DuckDB's parser reads the text as a C string, so it would stop at the NUL
            throw refused(sql, "it holds a NUL character, where an engine may stop reading");
        }
        SqlScan scan = lexicon.scan(sql);
        if (scan.unterminated().isEmpty() && scan.statements() != 1) {
            throw refused(sql, "it holds " + scan.statements() + " statements");
        }
    }

    private static JsonNode parseWithDuckDb(Connection connection, String sql) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return JSON.readTree(rows.getString(1));
            }
        } catch (SQLException e) {
            throw Jdbc.failed("cannot check a statement with DuckDB's parser", e);
        } catch (IOException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                    "cannot read DuckDB's parse of a statement: " + e.getMessage(), e);
        }
    }

    private static PulseException refused(String sql, String why) {
        String start = sql.strip();
        if (start.length() > 80) {
            start = start.substring(0, 80) + "…";
        }
        return new PulseException(PulseException.Category.INPUT_INVALID, "Pulse runs exactly one statement at a "
                + "time and refused a text that is not one (" + why + "); nothing of it ran: " + start);
    }
}
