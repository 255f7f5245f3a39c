package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SqlException;
import com.google.zetasql.ZetaSQLOptions;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pulse's BigQuery lexicon agrees with ZetaSQL's tokenizer on SqlTextTest's BigQuery texts: each filter Pulse
 * accepts, wrapped as Pulse wraps it, is one statement to ZetaSQL's parser; each text Pulse refuses for a hidden
 * statement, an early end of a quote or comment, or a line break in a one-line string, is not one (the parameters
 * {@code @p} and {@code ?} parse, and are refused by Pulse for taking a value it binds).
 */
class BigQueryLexiconZetaSqlTest {

    private static AnalyzerOptions options() {
        LanguageOptions language = new LanguageOptions().enableMaximumLanguageFeatures();
        language.setProductMode(ZetaSQLOptions.ProductMode.PRODUCT_EXTERNAL);
        language.setSupportsAllStatementKinds();
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        return options;
    }

    private static void parse(String filter) {
        Analyzer.extractTableNamesFromStatement("SELECT 1 FROM t WHERE (" + filter + ")", options());
    }

    static List<String> good() {
        return SqlTextTest.BIGQUERY_GOOD_FILTERS;
    }

    static List<String> hidden() {
        return SqlTextTest.BIGQUERY_HIDDEN.stream().filter(text -> !text.contains("@") && !text.contains("?")).toList();
    }

    @ParameterizedTest
    @MethodSource("good")
    void whatPulseAcceptsIsOneStatementToZetaSql(String filter) {
        assertDoesNotThrow(() -> parse(filter));
    }

    @ParameterizedTest
    @MethodSource("hidden")
    void whatPulseRefusesIsNotOneStatementToZetaSql(String filter) {
        assertThrows(SqlException.class, () -> parse(filter));
    }
}
