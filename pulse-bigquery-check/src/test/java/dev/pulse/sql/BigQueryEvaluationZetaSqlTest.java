package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.PreparedExpression;
import com.google.zetasql.Value;
import com.google.zetasql.ZetaSQLOptions;
import dev.pulse.sql.dialect.BigQueryDialect;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BigQuery's dialect evaluated by ZetaSQL's reference implementation (the analyzer's sibling that computes the
 * value of an expression): literals read back as the value they were made from, whatever it holds, and the
 * quantile aggregates give the numbers worked out by hand below.
 */
class BigQueryEvaluationZetaSqlTest {
    private static final BigQueryDialect DIALECT = BigQueryDialect.DEFAULT;

    private static Value evaluate(String expression) {
        LanguageOptions language = new LanguageOptions().enableMaximumLanguageFeatures();
        language.setProductMode(ZetaSQLOptions.ProductMode.PRODUCT_EXTERNAL);
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        try (PreparedExpression prepared = new PreparedExpression(expression)) {
            prepared.prepare(options);
            return prepared.execute(Map.of(), Map.of());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"it's", "back\\slash", "\\'; DROP TABLE t; --", "tab\tnew\nline\rcr", "nul\u0000x",
            "del\u007f c1\u0085", "''' triple", "\"double\"", "`tick`", "é 日本 😀", "trailing\\", "#hash -- dash /* c", "sep\u2028para\u2029"})
    void aStringLiteralReadsBackAsItsValue(String value) {
        assertEquals(value, evaluate(DIALECT.stringLiteral(value)).getStringValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"group", "we`ird", "back\\slash`", "new\nline", "日本"})
    void aQuotedNameReadsBackAsItsName(String name) {
        String expression = "(SELECT STRUCT(1 AS " + DIALECT.quoteIdentifier(name) + ").* )";
        // the struct field's name, read back through a second quoting-free path: TO_JSON_STRING names it
        String json = evaluate("TO_JSON_STRING(STRUCT(1 AS " + DIALECT.quoteIdentifier(name) + "))").getStringValue();
        assertEquals(name, com.google.gson.JsonParser.parseString(json).getAsJsonObject().keySet().iterator().next(),
                expression);
    }

    /**
     * Hand-worked, values 1..10 (and NULLs, ignored): type 7 at f has h = 9f; 0.25 → h = 2.25 → 3 + 0.25 = 3.25;
     * 0.5 → 5.5; 0.9 → h = 8.1 → 9.1; 0 → 1; 1 → 10. Discrete (k = max(1, ⌈10f⌉)): 0.25 → x₃ = 3; 0.5 → x₅ = 5;
     * 0.07 → ⌈0.7⌉ = 1 → 1; 0.9 → x₉ = 9; 0 → x₁ = 1; 1 → x₁₀ = 10. With 100 values 1..100, f = 0.07: k = 7 exactly
     * (double precision gives 7.000000000000001 and x₈).
     */
    @ParameterizedTest
    @CsvSource({"0.25, 10, 3.25, 3", "0.5, 10, 5.5, 5", "0.9, 10, 9.1, 9", "0, 10, 1, 1", "1, 10, 10, 10",
            "0.07, 10, 1.63, 1", "0.07, 100, 7.93, 7"})
    void quantilesOverOneToN(double fraction, int n, double continuous, double discrete) {
        String values = "[" + DoubleStream.iterate(n, x -> x - 1).limit(n).mapToObj(Double::toString)
                .collect(Collectors.joining(", ")) + ", NULL, NULL]";
        String from = " FROM UNNEST(" + values + ") AS v)";
        assertEquals(continuous, evaluate("(SELECT " + DIALECT.quantile("v", fraction) + from).getDoubleValue(), 1e-12);
        assertEquals(discrete, evaluate("(SELECT " + DIALECT.discreteQuantile("v", fraction) + from).getDoubleValue(), 0);
    }

    /** First value: the least order, ties to the greatest value, NULL values skipped; latest: the greatest order. */
    @ParameterizedTest
    @CsvSource({"first, 7", "latest, 4"})
    void firstAndLatestValueBreakTiesToTheGreatestValue(String which, double expected) {
        String rows = "[STRUCT(1 AS t, 5.0 AS v), (1, 7.0), (0, NULL), (3, 2.0), (3, 4.0), (4, NULL)]";
        String aggregate = which.equals("first") ? DIALECT.firstValue("v", "t") : DIALECT.latestValue("v", "t");
        assertEquals(expected, evaluate("(SELECT " + aggregate + " FROM UNNEST(" + rows + "))").getDoubleValue(), 0);
    }
}
