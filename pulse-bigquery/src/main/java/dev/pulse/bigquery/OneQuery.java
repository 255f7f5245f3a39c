package dev.pulse.bigquery;

import dev.pulse.error.PulseException;
import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.util.Optional;

/**
 * The check every text passes before BigQuery runs it: that it is one statement. BigQuery runs a text of several
 * statements as a script (a multi-statement query), so a {@code ;} that a config's filter or {@code sql:} source
 * smuggled past Pulse's wrapping would run. Two checks, both before the job that runs it:
 * <ol>
 *   <li>Pulse's scan with BigQuery's lexical rules ({@link Lexicon#BIGQUERY}) counts one statement;
 *   <li>a dry run (free, runs nothing) of the same text and parameters reports its {@code statementType}, which
 *       must be present and not {@code SCRIPT}: BigQuery's own parser agrees it is one statement.
 * </ol>
 */
final class OneQuery {
    /** The statement type BigQuery reports for a multi-statement text. */
    static final String SCRIPT = "SCRIPT";

    private OneQuery() {}

    /** Throws INPUT_INVALID unless Pulse's scan finds exactly one statement in {@code sql}. */
    static void scanned(String sql) {
        SqlScan scan = Lexicon.BIGQUERY.scan(sql);
        if (scan.unterminated().isEmpty() && scan.statements() != 1) {
            throw refused(sql, "it holds " + scan.statements() + " statements");
        }
    }

    /**
     * Throws INPUT_INVALID unless the dry run's {@code statementType} says one statement: present, and not
     * {@code SCRIPT}.
     */
    static void dryRunSays(String sql, Optional<String> statementType) {
        if (statementType.isEmpty()) {
            throw refused(sql, "BigQuery's dry run did not say what kind of statement it is");
        }
        if (statementType.get().equals(SCRIPT)) {
            throw refused(sql, "BigQuery's dry run reads it as a script of several statements");
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
