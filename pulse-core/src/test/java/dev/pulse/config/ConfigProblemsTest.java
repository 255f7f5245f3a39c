package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.error.PulseException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad config reports exactly its problems: file, line, column, path and message. Fixtures are in
 * {@code src/test/resources/config/bad/}; the file name in messages is the path as given (relative).
 */
class ConfigProblemsTest {
    private static final String BAD = "src/test/resources/config/bad/";

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("unknown-top-key",
                        "12:1 metircs: unknown key 'metircs' (did you mean 'metrics'?)"),
                bad("unknown-metric-key",
                        // the metric fails, so the experiment that lists it raises nothing more
                        "13:40 metrics.revenue.vaule: unknown key 'vaule' (did you mean 'value'?)"),
                bad("dangling-metric-source",
                        "13:32 metrics.revenue.source: unknown source 'evnts' (did you mean 'events'?)"),
                bad("dangling-experiment-metric",
                        "20:24 experiments.pricing.metrics[1]: unknown metric 'revnue' (did you mean 'revenue'?)"),
                bad("not-an-assignment-source",
                        "16:17 experiments.pricing.assignment: source 'events' is not an assignment source (give it"
                                + " 'experiment' and 'group' columns: sources.events.experiment and sources.events.group)"),
                bad("only-experiment-column",
                        "6:5 sources.exposures.experiment: an assignment source needs both 'experiment' and 'group'"
                                + " columns, but 'group' is missing"),
                bad("unit-missing-in-metric-source",
                        "29:25 experiments.onboarding.metrics[1]: metric 'revenue' reads source 'events', which has no"
                                + " column for ID type 'user_id' (its ids: org_id; add user_id to sources.events.ids)",
                        "29:34 experiments.onboarding.metrics[2]: metric 'revenue_per_session' reads source 'events',"
                                + " which has no column for ID type 'user_id' (its ids: org_id; add user_id to sources.events.ids)"),
                bad("trigger",
                        "24:23 experiments.unknown_source.trigger.source: unknown source 'page_view' (did you mean"
                                + " 'page_views'?)",
                        "31:23 experiments.lacks_unit.trigger.source: trigger source 'logins' has no column for the"
                                + " unit's ID type 'org_id' (its ids: user_id; add org_id to sources.logins.ids: a trigger"
                                + " is not read through an ID mapping)",
                        "38:43 experiments.two_statements.trigger.filter: filter must be one SQL expression, but it has"
                                + " a ';' outside quotes (at character 18)",
                        "45:14 experiments.not_a_map.trigger: expected a map with source and an optional filter, such as"
                                + " {source: page_views, filter: \"page = 'checkout'\"}, got 'page_views'",
                        "52:35 experiments.typo.trigger.fliter: unknown key 'fliter' (did you mean 'filter'?)",
                        "59:14 experiments.missing_source.trigger: missing 'source' (the source whose rows qualify a"
                                + " unit, such as page_views)"),
                bad("id-mapping",
                        "38:17 experiments.unknown_source.id_mapping: unknown source 'identfy' (did you mean 'identify'?)",
                        "45:26 experiments.lacks_unit.id_mapping.source: mapping source 'logins' has no column for the"
                                + " unit's ID type 'stable_id' (its ids: user_id; add stable_id to sources.logins.ids)",
                        "52:45 experiments.lacks_id_type.id_mapping.id_type: mapping source 'identify' has no column for"
                                + " ID type 'account_id' (its ids: stable_id, user_id; add account_id to sources.identify.ids)",
                        "61:15 experiments.source_neither.metrics[0]: metric 'order_value' reads source 'orders', which"
                                + " has no column for ID type 'stable_id' nor for the mapped ID type 'user_id' (its ids:"
                                + " account_id; add stable_id or user_id to sources.orders.ids)",
                        // metrics[1], a percentile metric through the mapping, is valid
                        // experiments.daily (timeseries through the mapping) is valid: no problem reported
                        // a mapping that fails is reported once: its metric is not blamed as well
                        "76:36 experiments.typo.id_mapping.idtype: unknown key 'idtype' (did you mean 'id_type'?)",
                        "83:17 experiments.several.id_mapping: mapping source 'links' carries several ID types besides"
                                + " the unit's (user_id, account_id); name one: id_mapping: {source: links, id_type: user_id}"),
                bad("wrong-types",
                        "1:12 warehouse: expected a map with engine and database, got 'duckdb'",
                        "5:16 sources.events.timestamp: expected text (the column with each row's time), got a list",
                        "6:10 sources.events.ids: expected a map of ID type to column, such as {user_id: user_id}, got a list",
                        "14:3 metrics: expected a map of metric name to metric, got a list",
                        "20:12 experiments.pricing.start: expected a date like 2026-03-01, got '2026-13-01'",
                        "21:12 experiments.pricing.alpha: expected a number between 0 and 1, such as 0.05, got 'high'",
                        "22:13 experiments.pricing.groups: expected a map of group to expected share, such as"
                                + " {control: 0.5, treatment: 0.5}, or a list of groups, got 'control'",
                        "23:14 experiments.pricing.metrics: expected a list of metric names, got 'revenue'"),
                bad("start-after-end",
                        "20:10 experiments.pricing.end: start 2026-03-28 is after end 2026-03-01"),
                bad("control-not-in-groups",
                        "18:14 experiments.pricing.control: control 'contrl' is not among the groups (control, treatment)"
                                + " (did you mean 'control'?)"),
                bad("shares-not-summing",
                        "19:13 experiments.pricing.groups: group shares sum to 0.95, not 1"),
                bad("two-relations",
                        "4:5 sources.events.table: give exactly one of 'path', 'table' or 'sql', not both 'path' and 'table'"),
                bad("reserved-table",
                        "3:12 sources.exposures.table: 'pulse_units' is the name of a step (CTE) of Pulse's own"
                                + " statements; qualify the table with its schema, such as main.pulse_units or"
                                + " public.pulse_units",
                        "9:12 sources.events.table: 'PULSE_pass_0' is the name of a step (CTE) of Pulse's own"
                                + " statements; qualify the table with its schema, such as main.PULSE_pass_0 or"
                                + " public.PULSE_pass_0"),
                bad("bad-filter",
                        "13:52 metrics.purchases.filter: filter must be one SQL expression, but it has a ';' outside quotes (at character 19)"),
                bad("sql-not-select",
                        "3:10 sources.events.sql: sql must be one SELECT query, starting with SELECT or WITH, not 'DELETE'",
                        "7:10 sources.exposures.sql: sql must be one SELECT query, but it has a ';' before its end (at character 24)"),
                bad("duplicate-key",
                        "20:5 experiments.pricing.start: duplicate key 'start' (first at line 19)"),
                bad("syntax-error",
                        "5:4 invalid YAML while parsing a block mapping: expected <block end>, but found '<block mapping start>'"),
                bad("empty",
                        ": the config is empty (expected sources, metrics and experiments)"),
                bad("not-a-map",
                        "1:1 expected a map with sources, metrics and experiments, got a list"),
                bad("missing-keys",
                        "3:5 sources.events: missing 'timestamp' (the column with each row's time)",
                        "6:5 sources.exposures: missing one of 'path', 'table' or 'sql' (where the rows come from)",
                        "7:10 sources.exposures.ids: ids is empty (name at least one ID type and its column)",
                        "11:12 metrics.revenue: missing 'type' (sum, count, count_distinct, unit_count, mean, ratio, percentile,"
                                + " first_value, latest_value, participation, threshold, retention, funnel)",
                        "12:11 metrics.orders: missing 'value' (the column or SQL expression to aggregate)",
                        "15:5 experiments.pricing: missing 'assignment' (the source that says which unit saw which group)",
                        "15:5 experiments.pricing: missing 'start' (the first day, such as 2026-03-01)"),
                bad("metric-details",
                        "3:11 sources.events.path: cannot tell the format of 'data/*' from its name, which does not end"
                                + " in .csv, .csv.gz or .parquet (add format: csv or format: parquet)",
                        "8:13 sources.exposures.format: unknown format 'json' (expected one of: csv, parquet)",
                        "14:19 metrics.revenue.type: unknown metric type 'summ' (did you mean 'sum'?)",
                        "15:8 metrics.p90: missing 'percentile' (the quantile's probability between 0 and 1, such as 0.9"
                                + " for the 90th percentile)",
                        "18:38 metrics.per_user.numerator.agg: unknown agg 'avg' (expected one of: sum, count, count_distinct)",
                        "19:47 metrics.per_user.denominator.value: agg count takes no value (use agg count_distinct to"
                                + " count distinct values, or sum to add them up)",
                        "20:46 metrics.visits.value: a unit_count metric takes no value (use type count_distinct to count"
                                + " distinct values, or sum to add them up)",
                        "20:63 metrics.visits.numerator: 'numerator' belongs to a ratio metric, not a unit_count metric",
                        "24:11 experiments.pricing.unit: unknown ID type 'org_idd' (did you mean 'org_id'?)",
                        "26:23 experiments.pricing.groups[1]: group 'control' is listed twice",
                        "28:12 experiments.pricing.alpha: expected a number between 0 and 1, such as 0.05, got '0.1'"
                                + " in quotes (write numbers without quotes)"),
                bad("percentile",
                        "13:79 metrics.zero.percentile: percentile must be between 0 and 1 (exclusive), got 0",
                        "14:78 metrics.one.percentile: percentile must be between 0 and 1 (exclusive), got 1",
                        "15:81 metrics.ninety.percentile: percentile must be between 0 and 1 (exclusive), got 90 (write 90 as 0.9)",
                        "16:80 metrics.words.percentile: expected the quantile's probability between 0 and 1, such as 0.9"
                                + " for the 90th percentile, got 'high'",
                        "17:13 metrics.no_value: missing 'value' (the column or SQL expression to aggregate)",
                        "18:18 metrics.no_percentile: missing 'percentile' (the quantile's probability between 0 and 1,"
                                + " such as 0.9 for the 90th percentile)",
                        "19:97 metrics.capped.winsorize: winsorize does not apply to a percentile metric: a quantile of"
                                + " row values is not moved by extreme values (remove winsorize)",
                        "20:61 metrics.total.percentile: 'percentile' belongs to a percentile metric, not a sum metric"),
                bad("value-participation",
                        "13:13 metrics.no_value: missing 'value' (the column or SQL expression to aggregate)",
                        "14:72 metrics.capped.winsorize: winsorize does not apply to a first_value metric: a capped"
                                + " value is no row's value, and units without a value would get a cap (remove winsorize)",
                        "15:53 metrics.days_value.value: a participation metric takes no value (it counts the days with"
                                + " a row; choose the rows with filter)",
                        "16:65 metrics.days_capped.winsorize: winsorize does not apply to a participation metric: its"
                                + " per-unit value is a share of days, already between 0 and 1 (remove winsorize)",
                        "17:62 metrics.days_window.window: window is not supported for a participation metric: its days"
                                + " run from each unit's first exposure to the experiment's end (remove window; for a share"
                                + " of units active in a window use unit_count with a window)",
                        "20:16 metrics.typo.type: unknown metric type 'latest_valu' (did you mean 'latest_value'?)",
                        "27:15 experiments.pricing.metrics[0]: metric 'price' has a window, which needs the experiment's"
                                + " end date (add end: so that units whose window has not closed by then are excluded the"
                                + " same way on every run)",
                        "27:22 experiments.pricing.metrics[1]: metric 'active_days' is a participation metric, whose days"
                                + " in the experiment run to its end date (add end:, the experiment's last day)"),
                // a retention metric needs the experiment's end like any windowed metric (the last problem)
                bad("threshold-retention",
                        "13:17 metrics.no_threshold: missing 'threshold' (the number the unit's aggregate is compared with,"
                                + " such as 100)",
                        "14:112 metrics.bad_comparison.comparison: unknown comparison '=>' (expected \">=\", the default, or"
                                + " \">\"; write it in quotes)",
                        "15:73 metrics.count_with_value.value: aggregate count takes no value (use aggregate count_distinct"
                                + " to count distinct values, or sum to add them up)",
                        "16:103 metrics.capped.winsorize: winsorize does not apply to a threshold metric: its value per unit"
                                + " is 0 or 1 (remove winsorize)",
                        "17:17 metrics.no_aggregate: missing 'aggregate' (sum, count or count_distinct: the unit's aggregate"
                                + " that is compared with the threshold)",
                        "18:22 metrics.sum_without_value: missing 'value' (the column or SQL expression to aggregate)",
                        "19:55 metrics.words.aggregate: unknown aggregate 'avg' (expected one of: sum, count, count_distinct)",
                        "19:86 metrics.words.threshold: expected a number, such as 100, got 'lots'",
                        "20:94 metrics.windowed_retention.window: a retention metric has its own window in start_days and"
                                + " end_days (remove window)",
                        "21:79 metrics.empty_retention.end_days: the retention window is empty: end_days 7 must be more than"
                                + " start_days 7 (the window is [first exposure + start_days, first exposure + end_days))",
                        "22:12 metrics.no_days: missing 'start_days' (the day after the first exposure the window opens,"
                                + " such as 7)",
                        "22:12 metrics.no_days: missing 'end_days' (the day after the first exposure the window closes, such"
                                + " as 8)",
                        "23:54 metrics.retention_value.value: a retention metric takes no value (a unit is retained when it"
                                + " has a row that passes the filter inside the window)",
                        "23:81 metrics.retention_value.start_days: start_days must be at least 0, got -1",
                        "24:58 metrics.stray_keys.threshold: 'threshold' belongs to a threshold metric, not a sum metric",
                        "24:74 metrics.stray_keys.end_days: 'end_days' belongs to a retention metric, not a sum metric",
                        "33:20 experiments.no_end.metrics[1]: metric 'd7' has a window, which needs the experiment's end"
                                + " date (add end: so that units whose window has not closed by then are excluded the same way on"
                                + " every run)"),
                bad("funnel",
                        "17:35 metrics.one_step.steps: a funnel has 2 to 10 steps, got 1",
                        "18:33 metrics.eleven.steps: a funnel has 2 to 10 steps, got 11",
                        "19:65 metrics.unknown_source.steps[0].source: unknown source 'event' (did you mean 'events'?)",
                        "20:123 metrics.bad_options.window_from: expected first_step or previous_step, got 'last_step'",
                        "20:147 metrics.bad_options.denominator: expected first_step or exposed, got 'everyone'",
                        "20:166 metrics.bad_options.ordered: expected true or false, got 'yes'",
                        "21:105 metrics.no_window.window_from: window_from says where window_days is measured from, and there is no window_days (add window_days, or remove window_from)",
                        "22:104 metrics.half_day.window_days: window_days must be a whole number of days from 1 to 3650, got 0.5",
                        "23:100 metrics.capped.winsorize: winsorize does not apply to a funnel metric: its per-unit values are 0 or 1 (remove winsorize)",
                        "23:123 metrics.capped.window: window is not supported for a funnel metric; its conversion window is window_days (replace window with window_days)",
                        "24:40 metrics.named.steps[0].name: a step name is lower-case letters, digits and underscores, starting with a letter, got 'Viewed'",
                        "24:99 metrics.named.steps[2].name: step 'b' is named twice in this funnel",
                        "24:120 metrics.named.source: a funnel metric takes no 'source': each step names its source and filter",
                        "25:13 metrics.no_steps: missing 'steps' (a list of 2 to 10 steps, such as [{name: viewed, source: events, filter: \"event = 'view'\"}, {name: bought, source: orders}])",
                        "26:53 metrics.total.steps: 'steps' belongs to a funnel metric, not a sum metric",
                        "26:64 metrics.total.ordered: 'ordered' belongs to a funnel metric, not a sum metric",
                        "36:21 experiments.checkout.metrics[1]: metric 'devices_funnel' reads source 'devices', which has no column for ID type 'org_id' (its ids: device_id; add org_id to sources.devices.ids)"),
                // experiments.adjusted (a funnel in a CUPED experiment) is valid: like a percentile, the funnel is
                // compared without CUPED
                bad("number-details",
                        "15:23 experiments.pricing.groups.control: a group's share must be more than 0 and at most 1, got 1.5",
                        "15:39 experiments.pricing.groups.treatment: a group's share must be more than 0 and at most 1, got -0.5",
                        "17:12 experiments.pricing.alpha: alpha must be between 0 and 1 (exclusive), got 0"),
                bad("bad-key-still-checked",
                        // the source with an unknown key is still checked against the experiment (metrics
                        // omitted: the problem is reported at the unit)
                        "6:5 sources.events.colour: unknown key 'colour' (expected one of: path, table, sql, format,"
                                + " timestamp, ids, experiment, group, date_partition)",
                        "18:11 experiments.onboarding.unit: metric 'revenue' reads source 'events', which has no column"
                                + " for ID type 'user_id' (its ids: org_id; add user_id to sources.events.ids)"),
                bad("bias-check",
                        "17:17 experiments.no_lookback.bias_check: missing 'lookback_days' (the days before each unit's"
                                + " first exposure to compare, such as 14 (without cuped the bias check needs its own"
                                + " pre-period))",
                        "25:33 experiments.lookback_differs.bias_check.lookback_days: lookback_days 7 differs from"
                                + " cuped's 14: the bias check compares the pre-period CUPED reads in the same pass"
                                + " (remove lookback_days here, or make the two equal)",
                        "32:47 experiments.bad_values.bias_check.threshold: threshold must be between 0 and 1"
                                + " (exclusive), got 1.5",
                        "32:52 experiments.bad_values.bias_check.treshold: unknown key 'treshold' (did you mean"
                                + " 'threshold'?)",
                        "39:17 experiments.not_a_map.bias_check: expected a map such as {lookback_days: 14,"
                                + " threshold: 0.001}, got 'yes'"),
                bad("planned-looks",
                        "18:20 experiments.with_sequential.planned_looks: planned_looks (a group-sequential test) and"
                                + " sequential (an always-valid test) are two ways to look early; keep one (planned_looks"
                                + " when you look on fixed dates)",
                        "24:20 experiments.no_end.planned_looks: planned looks need the experiment's end date: an analysis"
                                + " is the look whose date equals end (add end:, the date of the look you are analysing)",
                        "31:33 experiments.out_of_order.planned_looks[1]: look dates must increase: 2026-03-08 is not"
                                + " after 2026-03-08 (list each look once, in order)",
                        "31:45 experiments.out_of_order.planned_looks[2]: expected a date like 2026-03-01, got '2026-13-01'",
                        "38:52 experiments.bad_spending.planned_looks.spending: unknown spending 'pocok' (did you mean 'pocock'?)",
                        // a misspelt key is reported once, not also as a missing 'dates'
                        "45:21 experiments.before_start.planned_looks.dats: unknown key 'dats' (did you mean 'dates'?)",
                        "52:20 experiments.first_before_start.planned_looks: the first planned look 2026-03-08 is before"
                                + " start 2026-03-10 (a look's data run from start through its date)",
                        "59:20 experiments.empty.planned_looks: planned looks need 1 to 50 dates, got 0"),
                bad("experiment-options",
                        // out of range: each option on its own; the prior is not judged while method is bad
                        "16:28 experiments.out_of_range.cuped.lookback_days: lookback_days must be at least 1, got 0",
                        "17:17 experiments.out_of_range.correction: unknown correction 'bonferoni' (did you mean 'bonferroni'?)",
                        "18:18 experiments.out_of_range.relative_ci: unknown relative_ci 'exact' (expected one of: delta, fieller)",
                        "19:29 experiments.out_of_range.sequential.min_units: min_units must be a whole number, got 10.5",
                        "19:40 experiments.out_of_range.sequential.tau: tau must be more than 0, got -1",
                        "20:13 experiments.out_of_range.method: unknown method 'bayes' (expected one of: frequentist, bayesian)",
                        "21:26 experiments.out_of_range.prior.sd: sd must be more than 0, got 0",
                        // wrong types and a misspelt option
                        "27:12 experiments.wrong_types.cuped: expected a map such as {lookback_days: 14}, got '14'",
                        "28:5 experiments.wrong_types.corection: unknown key 'corection' (did you mean 'correction'?)",
                        "29:23 experiments.wrong_types.sequential.tau: expected a positive number, such as 0.1, got 'fast'",
                        "30:13 experiments.wrong_types.method: expected text (frequentist or bayesian), got a list",
                        "31:12 experiments.wrong_types.prior: expected a map such as {mean: 0, sd: 0.3}, got '0.3'",
                        // a prior without method: bayesian (omitted or frequentist)
                        "37:28 experiments.prior_without_bayesian.cuped.lookback_days: expected a whole number of days,"
                                + " such as 14, got '14' in quotes (write numbers without quotes)",
                        "38:12 experiments.prior_without_bayesian.prior: a prior is only used by method: bayesian"
                                + " (add method: bayesian, or remove prior)",
                        // a misspelt nested key is not also reported as missing
                        "44:13 experiments.prior_with_frequentist.cuped.lookback_dayz: unknown key 'lookback_dayz'"
                                + " (did you mean 'lookback_days'?)",
                        "45:39 experiments.prior_with_frequentist.sequential.tau: expected a positive number, such as 0.1,"
                                + " got 'fast'",
                        "47:12 experiments.prior_with_frequentist.prior: a prior is only used by method: bayesian"
                                + " (add method: bayesian, or remove prior)",
                        "47:31 experiments.prior_with_frequentist.prior.shape: unknown key 'shape' (expected one of: mean, sd)"),
                bad("cuped-covariates",
                        "25:45 experiments.misspelt.cuped.covariates[0]: covariate 'revnue' is not one of the experiment's"
                                + " metrics [revenue, sessions, p90, weekly]: a covariate is the pre-period value of a metric"
                                + " the experiment analyses (did you mean 'revenue'?)",
                        "25:63 experiments.misspelt.cuped.covariates[2]: covariate 'sessions' is listed twice",
                        "25:73 experiments.misspelt.cuped.covariates[3]: covariate 'p90' is a percentile metric, which has"
                                + " no per-unit pre-period value to adjust by (use a metric such as a sum, count, mean or ratio)",
                        "25:78 experiments.misspelt.cuped.covariates[4]: covariate 'weekly' has a window, so its values are"
                                + " over the units whose window closed, not every unit (remove it here; it is still adjusted"
                                + " by its own pre-period)",
                        "32:45 experiments.not_in_experiment.cuped.covariates[0]: covariate 'sessions' is not one of the"
                                + " experiment's metrics [revenue]: a covariate is the pre-period value of a metric the"
                                + " experiment analyses (add 'sessions' to its metrics)",
                        "39:44 experiments.a_word.cuped.covariates: expected all, or a list of the experiment's metrics"
                                + " whose pre-period values are covariates, such as [purchases, sessions], got 'every'",
                        "47:45 experiments.attributes.cuped.attributes[0]: attribute 'contry' is not one of the experiment's"
                                + " dimensions [country, platform]: an attribute's values come from the dimension"
                                + " breakdown's moments (did you mean 'country'?)",
                        "47:63 experiments.attributes.cuped.attributes[2]: attribute 'platform' is listed twice",
                        "54:45 experiments.attribute_without_dimensions.cuped.attributes[0]: attribute 'country' is not one"
                                + " of the experiment's dimensions: an attribute's values come from the dimension"
                                + " breakdown's moments (add dimensions: [country])"),
                bad("roles",
                        "14:63 metrics.latency.role: unknown role 'guardrial' (did you mean 'guardrail'?)",
                        "22:13 experiments.bad_roles.roles.revnue: 'revnue' is not one of the experiment's metrics"
                                + " [revenue] (did you mean 'revenue'?)",
                        "22:39 experiments.bad_roles.roles.revenue: unknown role 'main' (expected one of: primary,"
                                + " secondary, guardrail)",
                        "29:12 experiments.not_a_map.roles: expected a map of the experiment's metrics to primary,"
                                + " secondary or guardrail, such as {revenue: primary}, got a list"),
                bad("post-stratify",
                        "17:20 experiments.misspelt.post_stratify: post_stratify 'countyr' is not one of the experiment's"
                                + " dimensions [country, platform] (did you mean 'country'?)",
                        "23:20 experiments.no_dimensions.post_stratify: post_stratify 'country' is not one of the"
                                + " experiment's dimensions (add dimensions: [country])"),
                bad("sequential-method",
                        "16:26 experiments.misspelt.sequential.method: unknown method 'growthbok' (did you mean 'growthbook'?)",
                        "22:43 experiments.tau_with_growthbook.sequential.tau: tau is the msprt method's mixing scale;"
                                + " method growthbook is tuned by tuning (such as tuning: 5000), remove tau",
                        "28:26 experiments.tuning_without_method.sequential.tuning: tuning belongs to method: growthbook"
                                + " (add method: growthbook, or use tau for the default msprt)",
                        "34:46 experiments.tuning_out_of_range.sequential.tuning: tuning must be more than 0, got 0"),
                bad("metric-windows",
                        "13:71 metrics.a.window.start_days: start_days must be at least 0, got -1",
                        "14:84 metrics.b.window.end_days: the window is empty: end_days 3 must be more than start_days 3"
                                + " (the window is [first exposure + start_days, first exposure + end_days))",
                        "15:55 metrics.c.window.end_days: end_days must be at least 1, got 0",
                        "16:44 metrics.d.window: missing 'end_days' (the day after the first exposure the window closes,"
                                + " such as 7)",
                        "17:44 metrics.e.window: expected a map such as {start_days: 0, end_days: 7}, got '7'",
                        "18:82 metrics.f.window: window is not supported for a percentile metric (remove window)",
                        "19:55 metrics.g.window.end_days: end_days must be a whole number, got 1.5",
                        // whether a window has closed must not depend on when the analysis runs
                        "27:15 experiments.no_end.metrics[0]: metric 'h' has a window, which needs the experiment's end"
                                + " date (add end: so that units whose window has not closed by then are excluded the"
                                + " same way on every run)"),
                bad("dimensions",
                        "20:17 experiments.not_a_list.dimensions: expected a list of columns of the assignment source,"
                                + " such as [country, platform], got 'country'",
                        "26:37 experiments.twice.dimensions[2]: dimension 'country' is listed twice",
                        "26:46 experiments.twice.dimensions[3]: expected a column name, got empty text",
                        "27:23 experiments.twice.dimension_values: dimension_values must be a whole number from 1 to"
                                + " 1000, got 0",
                        "33:23 experiments.values_without_dimensions.dimension_values: dimension_values must be a whole"
                                + " number from 1 to 1000, got 2.5",
                        "33:23 experiments.values_without_dimensions.dimension_values: dimension_values needs dimensions"
                                + " (add dimensions: [column, …], or remove dimension_values)",
                        "40:31 experiments.no_correction.heterogeneity_correction: unknown heterogeneity_correction"
                                + " 'none': each value's effect against the rest's is tested for every value of a"
                                + " dimension, so the tests need a correction across values; use one of bonferroni,"
                                + " holm, benjamini_hochberg",
                        "46:31 experiments.misspelt_correction.heterogeneity_correction: unknown"
                                + " heterogeneity_correction 'hlom' (did you mean 'holm'?)",
                        "46:31 experiments.misspelt_correction.heterogeneity_correction: heterogeneity_correction"
                                + " needs dimensions or interactions (add dimensions: [column, …], or remove"
                                + " heterogeneity_correction)"),
                bad("interactions",
                        "21:20 experiments.a.interactions[0]: unknown experiment 'bb' (expected one of: a, b, c, d)",
                        "21:24 experiments.a.interactions[1]: an experiment cannot interact with itself (name another"
                                + " experiment of the config that runs on the same units)",
                        "21:27 experiments.a.interactions[2]: experiment 'c' is randomized by 'org_id', this one by"
                                + " 'user_id': interactions need the same unit (its assignments are matched unit by unit)",
                        "28:23 experiments.b.interactions[1]: experiment 'a' is listed twice",
                        "41:19 experiments.d.interactions: expected a list of other experiments of this config on the"
                                + " same unit, such as [checkout_v2], got 'a'"),
                bad("timeseries",
                        "20:17 experiments.no_end.timeseries: daily results need the experiment's end date (add end:,"
                                + " the last day of the series)",
                        "27:17 experiments.not_a_boolean.timeseries: expected true or false, got 'daily'"),
                bad("metric-options",
                        "13:61 metrics.a.direction: unknown direction 'up' (expected one of: two_sided, increase, decrease)",
                        "14:61 metrics.b.direction: unknown direction 'increse' (did you mean 'increase'?)",
                        "15:55 metrics.c.winsorize.lower: lower 0.99 must be below upper 0.01",
                        "16:55 metrics.d.winsorize.lower: lower must be between 0 and 1 (exclusive), got 0",
                        "16:65 metrics.d.winsorize.upper: upper must be between 0 and 1 (exclusive), got 1.5",
                        "17:52 metrics.e.winsorize: winsorize needs lower, upper or both, such as {lower: 0.01, upper: 0.99}",
                        "18:72 metrics.f.winsorize: expected a map such as {lower: 0.01, upper: 0.99}, got '0.99'",
                        "19:51 metrics.g.winsorise: unknown key 'winsorise' (did you mean 'winsorize'?)",
                        "20:70 metrics.h.winsorize.upper: expected a quantile between 0 and 1, such as 0.99, got 'high'",
                        // a ratio takes the options too; a misspelt cap is not also "needs lower, upper or both"
                        "25:17 metrics.i.winsorize.uper: unknown key 'uper' (did you mean 'upper'?)",
                        // options are checked even when the type is bad
                        "26:13 metrics.j.type: unknown metric type 'summ' (did you mean 'sum'?)",
                        "26:62 metrics.j.direction: unknown direction 'sideways' (expected one of: two_sided, increase, decrease)",
                        // metric a failed: the experiment that lists it raises nothing more for it
                        "33:18 experiments.pricing.metrics[1]: unknown metric 'exposure_count' (expected one of: a, b, c, d,"
                                + " e, f, g, h, i, j)"),
                bad("several-mistakes",
                        // every independent mistake in one run; the metrics that failed (orders, visits,
                        // conversion) raise nothing more in the experiment that lists them
                        "2:11 warehouse.engine: unknown engine 'sprak' (did you mean 'spark'?)",
                        "7:5 sources.events.idz: unknown key 'idz' (did you mean 'ids'?)",
                        "17:41 metrics.orders.value: a count metric takes no value (use type count_distinct to count"
                                + " distinct values, or sum to add them up)",
                        "18:33 metrics.visits.source: unknown source 'visits' (expected one of: events, exposures)",
                        "19:58 metrics.conversion.filter: filter is empty (omit it to use every row)",
                        "27:10 experiments.pricing.end: start 2026-03-01 is after end 2026-02-01",
                        "28:12 experiments.pricing.alpha: alpha must be between 0 and 1 (exclusive), got 1.5",
                        "29:52 experiments.pricing.metrics[4]: unknown metric 'revenu' (did you mean 'revenue'?)",
                        "31:17 experiments.onboarding.assignment: unknown source 'exposure' (did you mean 'exposures'?)"));
    }

    private static Arguments bad(String name, String... problems) {
        return Arguments.of(name, List.of(problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void reportsExactlyTheseProblems(String name, List<String> expected) {
        String file = BAD + name + ".yaml";
        List<String> expectedLines = expected.stream()
                .map(problem -> problem.startsWith(":") ? file + problem : file + ":" + problem)
                .toList();

        List<String> reported = ConfigLoader.problems(Path.of(file)).stream().map(ConfigProblem::format).toList();
        assertEquals(expectedLines, reported);

        PulseException thrown = assertThrows(PulseException.class, () -> ConfigLoader.load(Path.of(file)));
        assertEquals(PulseException.Category.CONFIG_INVALID, thrown.category());
        assertEquals(String.join("\n", expectedLines), thrown.getMessage());
    }

    @Test
    void problemFieldsArePositionAndPath() {
        Path file = Path.of(BAD + "dangling-experiment-metric.yaml");
        assertEquals(List.of(new ConfigProblem(file, 20, 24, "experiments.pricing.metrics[1]",
                        "unknown metric 'revnue' (did you mean 'revenue'?)")),
                ConfigLoader.problems(file));
    }

    @Test
    void missingFile() {
        Path file = Path.of("no-such-dir/pulse.yaml");
        assertEquals(List.of(new ConfigProblem(file, 0, 0, "", "config file not found")), ConfigLoader.problems(file));
        PulseException thrown = assertThrows(PulseException.class, () -> ConfigLoader.load(file));
        assertEquals(PulseException.Category.CONFIG_INVALID, thrown.category());
        assertEquals(2, thrown.category().exitCode());
        assertEquals("no-such-dir/pulse.yaml: config file not found", thrown.getMessage());
    }

    @Test
    void formatWithAndWithoutPath() {
        Path file = Path.of("pulse.yaml");
        assertEquals("pulse.yaml:42:7 experiments.pricing.metrics[0]: unknown metric 'revnue' (did you mean 'revenue'?)",
                new ConfigProblem(file, 42, 7, "experiments.pricing.metrics[0]",
                        "unknown metric 'revnue' (did you mean 'revenue'?)").format());
        assertEquals("pulse.yaml:3:5 invalid YAML: found a tab", new ConfigProblem(file, 3, 5, "", "invalid YAML: found a tab").format());
    }
}
