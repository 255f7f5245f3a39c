package dev.pulse.sql;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions;
import com.google.zetasql.ZetaSQLType.TypeKind;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ZetaSQL's analyzer, BigQuery's SQL front end, over a catalog holding the fixture tables of the golden cases: a
 * statement passes when every name resolves and every expression has a type and a function signature that
 * matches, as BigQuery's own front end would check before it runs anything.
 *
 * <p>Language: ZetaSQL's maximum feature set (a superset of what BigQuery enables; see docs/bigquery.md for what
 * that leaves to the docs), {@code PRODUCT_EXTERNAL} (BigQuery's type names: {@code FLOAT64}, not {@code DOUBLE}),
 * every statement kind (DDL and DML), and the built-in functions for those options.
 */
final class ZetaSqlCheck {
    private static final Type STRING = TypeFactory.createSimpleType(TypeKind.TYPE_STRING);
    private static final Type FLOAT64 = TypeFactory.createSimpleType(TypeKind.TYPE_DOUBLE);
    private static final Type TIMESTAMP = TypeFactory.createSimpleType(TypeKind.TYPE_TIMESTAMP);

    /** The golden cases' tables and their columns, as a BigQuery user would type them. */
    private static final Map<String, Map<String, Type>> TABLES = Map.ofEntries(
            Map.entry("exposures", exposures()),
            Map.entry("analytics.exposures", exposures()),
            Map.entry("events", events()),
            Map.entry("analytics.events", events()),
            Map.entry("sessions", Map.of("org", STRING, "ts", TIMESTAMP, "user_id", STRING)),
            Map.entry("identify", Map.of("org", STRING, "user_id", STRING, "ts", TIMESTAMP)),
            Map.entry("purchases", Map.of("user_id", STRING, "ts", TIMESTAMP, "revenue", FLOAT64)),
            Map.entry("page_views", Map.of("org", STRING, "ts", TIMESTAMP, "page", STRING)),
            Map.entry("page_loads", Map.of("org", STRING, "ts", TIMESTAMP, "latency_ms", FLOAT64, "page", STRING)),
            Map.entry("orders", Map.of("org", STRING, "ts", TIMESTAMP, "amount", FLOAT64)),
            Map.entry("raw.assignments", Map.of("org", STRING, "variant", STRING, "ts", TIMESTAMP, "exp_name", STRING)),
            Map.entry("raw.orders", Map.of("org", STRING, "ts", TIMESTAMP, "amount", FLOAT64)),
            Map.entry("reporting.pulse_results", Map.of("run_id", STRING, "run_at", TIMESTAMP, "experiment", STRING,
                    "metric", STRING, "group_name", STRING, "statistic", STRING, "value", FLOAT64)));

    private static Map<String, Type> exposures() {
        return Map.of("org", STRING, "ts", TIMESTAMP, "exp_name", STRING, "variant", STRING, "country", STRING,
                "platform", STRING);
    }

    private static Map<String, Type> events() {
        return Map.of("org", STRING, "user_id", STRING, "ts", TIMESTAMP, "revenue", FLOAT64, "event", STRING,
                "price", FLOAT64, "kind", STRING, "country", STRING, "platform", STRING);
    }

    private final LanguageOptions language;
    private final SimpleCatalog catalog;

    ZetaSqlCheck() {
        language = new LanguageOptions().enableMaximumLanguageFeatures();
        language.setProductMode(ZetaSQLOptions.ProductMode.PRODUCT_EXTERNAL);
        language.setSupportsAllStatementKinds();
        catalog = new SimpleCatalog("fixtures");
        catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(language));
        TABLES.forEach((name, columns) -> {
            String[] parts = name.split("\\.");
            SimpleCatalog holder = catalog;
            for (int i = 0; i < parts.length - 1; i++) {
                SimpleCatalog sub = holder.getCatalog(parts[i]);
                holder = sub != null ? sub : holder.addNewSimpleCatalog(parts[i]);
            }
            SimpleTable table = new SimpleTable(parts[parts.length - 1]);
            columns.forEach(table::addSimpleColumn);
            holder.addSimpleTable(table);
        });
    }

    /** Why ZetaSQL refuses {@code sql}, its positional parameters typed {@code parameters}; empty when it passes. */
    Optional<String> problem(String sql, List<Type> parameters) {
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        options.setParameterMode(ZetaSQLOptions.ParameterMode.PARAMETER_POSITIONAL);
        parameters.forEach(options::addPositionalQueryParameter);
        try {
            Analyzer.analyzeStatement(sql, options, catalog);
            return Optional.empty();
        } catch (SqlException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code count} STRING parameters: the group names and dimension values a statement binds. */
    static List<Type> strings(int count) {
        return java.util.Collections.nCopies(count, STRING);
    }

    static Type string() {
        return STRING;
    }

    static Type float64() {
        return FLOAT64;
    }

    static Type timestamp() {
        return TIMESTAMP;
    }
}
