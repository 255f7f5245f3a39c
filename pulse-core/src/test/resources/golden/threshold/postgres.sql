WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"pulse_units" AS (
  SELECT
    "pulse_exposures"."unit_id" AS "unit_id",
    "pulse_exposures"."grp" AS "grp",
    "pulse_exposures"."first_exposure" AS "first_exposure"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
    AND "pulse_exposures"."grp" IN ('control', 'treat')
),
"pulse_daily_rows_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    (CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01') AS "day",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_big_spenders__numerator" END AS "big_spenders__numerator",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_big_spenders__numerator" END AS "big_spenders__numerator_pre",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_frequent_buyers__numerator" END AS "frequent_buyers__numerator",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_frequent_buyers__numerator" END AS "frequent_buyers__numerator_pre",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_multi_user_week_1__numerator" END END AS "multi_user_week_1__numerator",
    MIN((CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01')) OVER (PARTITION BY "u"."unit_id", CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_multi_user_week_1__numerator" END END) AS "multi_user_week_1__numerator_first_day",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_multi_user_week_1__numerator" END AS "multi_user_week_1__numerator_pre",
    MIN((CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01')) OVER (PARTITION BY "u"."unit_id", CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_multi_user_week_1__numerator" END) AS "multi_user_week_1__numerator_pre_first_day",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_big_spenders__numerator" END AS "revenue__numerator",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_big_spenders__numerator" END AS "revenue__numerator_pre"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_big_spenders__numerator",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_frequent_buyers__numerator",
      (user_id) AS "pulse_multi_user_week_1__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-02-15 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL '14 days')
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
),
"pulse_daily_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    "day" AS "day",
    SUM("big_spenders__numerator") AS "big_spenders__numerator",
    SUM("big_spenders__numerator_pre") AS "big_spenders__numerator_pre",
    COUNT("frequent_buyers__numerator") AS "frequent_buyers__numerator",
    COUNT("frequent_buyers__numerator_pre") AS "frequent_buyers__numerator_pre",
    COUNT(DISTINCT CASE WHEN "multi_user_week_1__numerator_first_day" = "day" THEN "multi_user_week_1__numerator" END) AS "multi_user_week_1__numerator",
    COUNT(DISTINCT CASE WHEN "multi_user_week_1__numerator_pre_first_day" = "day" THEN "multi_user_week_1__numerator_pre" END) AS "multi_user_week_1__numerator_pre",
    SUM("revenue__numerator") AS "revenue__numerator",
    SUM("revenue__numerator_pre") AS "revenue__numerator_pre"
  FROM "pulse_daily_rows_0"
  GROUP BY "unit_id", "day"
),
"pulse_pass_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    SUM("big_spenders__numerator") AS "big_spenders__numerator",
    SUM("big_spenders__numerator_pre") AS "big_spenders__numerator_pre",
    SUM("frequent_buyers__numerator") AS "frequent_buyers__numerator",
    SUM("frequent_buyers__numerator_pre") AS "frequent_buyers__numerator_pre",
    SUM("multi_user_week_1__numerator") AS "multi_user_week_1__numerator",
    SUM("multi_user_week_1__numerator_pre") AS "multi_user_week_1__numerator_pre",
    SUM("revenue__numerator") AS "revenue__numerator",
    SUM("revenue__numerator_pre") AS "revenue__numerator_pre"
  FROM "pulse_daily_0"
  GROUP BY "unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(CASE WHEN CAST(COALESCE("p0"."big_spenders__numerator", 0) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "big_spenders__numerator",
    CAST(CASE WHEN CAST(COALESCE("p0"."big_spenders__numerator_pre", 0) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "big_spenders__numerator_pre",
    CAST(CASE WHEN CAST(COALESCE("p0"."frequent_buyers__numerator", 0) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "frequent_buyers__numerator",
    CAST(CASE WHEN CAST(COALESCE("p0"."frequent_buyers__numerator_pre", 0) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "frequent_buyers__numerator_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE("p0"."multi_user_week_1__numerator", 0) AS DOUBLE PRECISION) >= CAST(2.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) END AS "multi_user_week_1__numerator",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE("p0"."multi_user_week_1__numerator_pre", 0) AS DOUBLE PRECISION) >= CAST(2.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) END AS "multi_user_week_1__numerator_pre",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE PRECISION) AS "revenue__numerator",
    CAST(COALESCE("p0"."revenue__numerator_pre", 0) AS DOUBLE PRECISION) AS "revenue__numerator_pre"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("big_spenders__numerator"), 0) AS "big_spenders__shift_x",
    COALESCE(AVG("big_spenders__numerator_pre"), 0) AS "big_spenders__shift_x0",
    COALESCE(AVG("frequent_buyers__numerator"), 0) AS "frequent_buyers__shift_x",
    COALESCE(AVG("frequent_buyers__numerator_pre"), 0) AS "frequent_buyers__shift_x0",
    COALESCE(AVG("multi_user_week_1__numerator"), 0) AS "multi_user_week_1__shift_x",
    COALESCE(AVG("multi_user_week_1__numerator_pre"), 0) AS "multi_user_week_1__shift_x0",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("revenue__numerator_pre"), 0) AS "revenue__shift_x0"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."big_spenders__numerator" - "pulse_pilots"."big_spenders__shift_x" AS "big_spenders__shifted_x",
    "pulse_pilots"."big_spenders__shift_x" AS "big_spenders__shift_x",
    "pulse_unit_values"."big_spenders__numerator_pre" - "pulse_pilots"."big_spenders__shift_x0" AS "big_spenders__shifted_x0",
    "pulse_pilots"."big_spenders__shift_x0" AS "big_spenders__shift_x0",
    "pulse_unit_values"."frequent_buyers__numerator" - "pulse_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shifted_x",
    "pulse_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shift_x",
    "pulse_unit_values"."frequent_buyers__numerator_pre" - "pulse_pilots"."frequent_buyers__shift_x0" AS "frequent_buyers__shifted_x0",
    "pulse_pilots"."frequent_buyers__shift_x0" AS "frequent_buyers__shift_x0",
    "pulse_unit_values"."multi_user_week_1__numerator" - "pulse_pilots"."multi_user_week_1__shift_x" AS "multi_user_week_1__shifted_x",
    "pulse_pilots"."multi_user_week_1__shift_x" AS "multi_user_week_1__shift_x",
    "pulse_unit_values"."multi_user_week_1__numerator_pre" - "pulse_pilots"."multi_user_week_1__shift_x0" AS "multi_user_week_1__shifted_x0",
    "pulse_pilots"."multi_user_week_1__shift_x0" AS "multi_user_week_1__shift_x0",
    "pulse_unit_values"."revenue__numerator" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_unit_values"."revenue__numerator_pre" - "pulse_pilots"."revenue__shift_x0" AS "revenue__shifted_x0",
    "pulse_pilots"."revenue__shift_x0" AS "revenue__shift_x0"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("big_spenders__shifted_x") AS "big_spenders__mean_x",
    VAR_SAMP("big_spenders__shifted_x") AS "big_spenders__var_x",
    MIN("big_spenders__shift_x") AS "big_spenders__shift_x",
    AVG("big_spenders__numerator") AS "big_spenders__raw_mean_x",
    AVG("big_spenders__shifted_x0") AS "big_spenders__mean_x0",
    VAR_SAMP("big_spenders__shifted_x0") AS "big_spenders__var_x0",
    COVAR_SAMP("big_spenders__shifted_x", "big_spenders__shifted_x0") AS "big_spenders__cov_xx0",
    MIN("big_spenders__shift_x0") AS "big_spenders__shift_x0",
    AVG("frequent_buyers__shifted_x") AS "frequent_buyers__mean_x",
    VAR_SAMP("frequent_buyers__shifted_x") AS "frequent_buyers__var_x",
    MIN("frequent_buyers__shift_x") AS "frequent_buyers__shift_x",
    AVG("frequent_buyers__numerator") AS "frequent_buyers__raw_mean_x",
    AVG("frequent_buyers__shifted_x0") AS "frequent_buyers__mean_x0",
    VAR_SAMP("frequent_buyers__shifted_x0") AS "frequent_buyers__var_x0",
    COVAR_SAMP("frequent_buyers__shifted_x", "frequent_buyers__shifted_x0") AS "frequent_buyers__cov_xx0",
    MIN("frequent_buyers__shift_x0") AS "frequent_buyers__shift_x0",
    COUNT("multi_user_week_1__shifted_x") AS "multi_user_week_1__n",
    AVG("multi_user_week_1__shifted_x") AS "multi_user_week_1__mean_x",
    VAR_SAMP("multi_user_week_1__shifted_x") AS "multi_user_week_1__var_x",
    MIN("multi_user_week_1__shift_x") AS "multi_user_week_1__shift_x",
    AVG("multi_user_week_1__numerator") AS "multi_user_week_1__raw_mean_x",
    AVG("multi_user_week_1__shifted_x0") AS "multi_user_week_1__mean_x0",
    VAR_SAMP("multi_user_week_1__shifted_x0") AS "multi_user_week_1__var_x0",
    COVAR_SAMP("multi_user_week_1__shifted_x", "multi_user_week_1__shifted_x0") AS "multi_user_week_1__cov_xx0",
    MIN("multi_user_week_1__shift_x0") AS "multi_user_week_1__shift_x0",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x",
    AVG("revenue__shifted_x0") AS "revenue__mean_x0",
    VAR_SAMP("revenue__shifted_x0") AS "revenue__var_x0",
    COVAR_SAMP("revenue__shifted_x", "revenue__shifted_x0") AS "revenue__cov_xx0",
    MIN("revenue__shift_x0") AS "revenue__shift_x0"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_days" AS (
  SELECT "d"."day" AS "day"
  FROM generate_series(0, 27) AS "d"("day")
),
"pulse_unit_days" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    "u"."grp" AS "grp",
    "pulse_days"."day" AS "day",
    "pulse_days"."day" - (CAST("u"."first_exposure" AS DATE) - DATE '2026-03-01') AS "days_since_exposure"
  FROM "pulse_units" AS "u"
  JOIN "pulse_days"
    ON "pulse_days"."day" >= (CAST("u"."first_exposure" AS DATE) - DATE '2026-03-01')
),
"pulse_cumulative" AS (
  SELECT
    "ud"."grp" AS "grp",
    "ud"."day" AS "day",
    "ud"."days_since_exposure" AS "days_since_exposure",
    CAST(CASE WHEN CAST(SUM(COALESCE("d0"."big_spenders__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "big_spenders__numerator",
    CAST(CASE WHEN CAST(SUM(COALESCE("d0"."frequent_buyers__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "frequent_buyers__numerator",
    CAST(SUM(COALESCE("d0"."revenue__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "revenue__numerator"
  FROM "pulse_unit_days" AS "ud"
  LEFT JOIN "pulse_daily_0" AS "d0"
    ON "d0"."unit_id" = "ud"."unit_id"
    AND "d0"."day" = "ud"."day"
),
"pulse_daily_pilots" AS (
  SELECT
    "day" AS "day",
    COALESCE(AVG("big_spenders__numerator"), 0) AS "big_spenders__shift_x",
    COALESCE(AVG("frequent_buyers__numerator"), 0) AS "frequent_buyers__shift_x",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x"
  FROM "pulse_cumulative"
  GROUP BY "day"
),
"pulse_daily_shifted" AS (
  SELECT
    "pulse_cumulative"."grp" AS "grp",
    "pulse_cumulative"."day" AS "day",
    "pulse_cumulative"."big_spenders__numerator" AS "big_spenders__numerator",
    "pulse_cumulative"."frequent_buyers__numerator" AS "frequent_buyers__numerator",
    "pulse_cumulative"."revenue__numerator" AS "revenue__numerator",
    "pulse_cumulative"."big_spenders__numerator" - "pulse_daily_pilots"."big_spenders__shift_x" AS "big_spenders__shifted_x",
    "pulse_daily_pilots"."big_spenders__shift_x" AS "big_spenders__shift_x",
    "pulse_cumulative"."frequent_buyers__numerator" - "pulse_daily_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shifted_x",
    "pulse_daily_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shift_x",
    "pulse_cumulative"."revenue__numerator" - "pulse_daily_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_daily_pilots"."revenue__shift_x" AS "revenue__shift_x"
  FROM "pulse_cumulative"
  JOIN "pulse_daily_pilots"
    ON "pulse_daily_pilots"."day" = "pulse_cumulative"."day"
),
"pulse_daily_moments" AS (
  SELECT
    "day" AS "day",
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("big_spenders__shifted_x") AS "big_spenders__mean_x",
    VAR_SAMP("big_spenders__shifted_x") AS "big_spenders__var_x",
    MIN("big_spenders__shift_x") AS "big_spenders__shift_x",
    AVG("big_spenders__numerator") AS "big_spenders__raw_mean_x",
    AVG("frequent_buyers__shifted_x") AS "frequent_buyers__mean_x",
    VAR_SAMP("frequent_buyers__shifted_x") AS "frequent_buyers__var_x",
    MIN("frequent_buyers__shift_x") AS "frequent_buyers__shift_x",
    AVG("frequent_buyers__numerator") AS "frequent_buyers__raw_mean_x",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x"
  FROM "pulse_daily_shifted"
  GROUP BY "day", "grp"
),
"pulse_exposure_day_pilots" AS (
  SELECT
    "days_since_exposure" AS "days_since_exposure",
    COALESCE(AVG("big_spenders__numerator"), 0) AS "big_spenders__shift_x",
    COALESCE(AVG("frequent_buyers__numerator"), 0) AS "frequent_buyers__shift_x",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x"
  FROM "pulse_cumulative"
  GROUP BY "days_since_exposure"
),
"pulse_exposure_day_shifted" AS (
  SELECT
    "pulse_cumulative"."grp" AS "grp",
    "pulse_cumulative"."days_since_exposure" AS "days_since_exposure",
    "pulse_cumulative"."big_spenders__numerator" AS "big_spenders__numerator",
    "pulse_cumulative"."frequent_buyers__numerator" AS "frequent_buyers__numerator",
    "pulse_cumulative"."revenue__numerator" AS "revenue__numerator",
    "pulse_cumulative"."big_spenders__numerator" - "pulse_exposure_day_pilots"."big_spenders__shift_x" AS "big_spenders__shifted_x",
    "pulse_exposure_day_pilots"."big_spenders__shift_x" AS "big_spenders__shift_x",
    "pulse_cumulative"."frequent_buyers__numerator" - "pulse_exposure_day_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shifted_x",
    "pulse_exposure_day_pilots"."frequent_buyers__shift_x" AS "frequent_buyers__shift_x",
    "pulse_cumulative"."revenue__numerator" - "pulse_exposure_day_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_exposure_day_pilots"."revenue__shift_x" AS "revenue__shift_x"
  FROM "pulse_cumulative"
  JOIN "pulse_exposure_day_pilots"
    ON "pulse_exposure_day_pilots"."days_since_exposure" = "pulse_cumulative"."days_since_exposure"
),
"pulse_exposure_day_moments" AS (
  SELECT
    "days_since_exposure" AS "days_since_exposure",
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("big_spenders__shifted_x") AS "big_spenders__mean_x",
    VAR_SAMP("big_spenders__shifted_x") AS "big_spenders__var_x",
    MIN("big_spenders__shift_x") AS "big_spenders__shift_x",
    AVG("big_spenders__numerator") AS "big_spenders__raw_mean_x",
    AVG("frequent_buyers__shifted_x") AS "frequent_buyers__mean_x",
    VAR_SAMP("frequent_buyers__shifted_x") AS "frequent_buyers__var_x",
    MIN("frequent_buyers__shift_x") AS "frequent_buyers__shift_x",
    AVG("frequent_buyers__numerator") AS "frequent_buyers__raw_mean_x",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x"
  FROM "pulse_exposure_day_shifted"
  GROUP BY "days_since_exposure", "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  NULL AS "day",
  CAST(NULL AS BIGINT) AS "days_since_exposure",
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."big_spenders__mean_x",
  "pulse_moments"."big_spenders__var_x",
  "pulse_moments"."big_spenders__shift_x",
  "pulse_moments"."big_spenders__raw_mean_x",
  "pulse_moments"."big_spenders__mean_x0",
  "pulse_moments"."big_spenders__var_x0",
  "pulse_moments"."big_spenders__cov_xx0",
  "pulse_moments"."big_spenders__shift_x0",
  "pulse_moments"."frequent_buyers__mean_x",
  "pulse_moments"."frequent_buyers__var_x",
  "pulse_moments"."frequent_buyers__shift_x",
  "pulse_moments"."frequent_buyers__raw_mean_x",
  "pulse_moments"."frequent_buyers__mean_x0",
  "pulse_moments"."frequent_buyers__var_x0",
  "pulse_moments"."frequent_buyers__cov_xx0",
  "pulse_moments"."frequent_buyers__shift_x0",
  "pulse_moments"."multi_user_week_1__n",
  "pulse_moments"."multi_user_week_1__mean_x",
  "pulse_moments"."multi_user_week_1__var_x",
  "pulse_moments"."multi_user_week_1__shift_x",
  "pulse_moments"."multi_user_week_1__raw_mean_x",
  "pulse_moments"."multi_user_week_1__mean_x0",
  "pulse_moments"."multi_user_week_1__var_x0",
  "pulse_moments"."multi_user_week_1__cov_xx0",
  "pulse_moments"."multi_user_week_1__shift_x0",
  "pulse_moments"."revenue__mean_x",
  "pulse_moments"."revenue__var_x",
  "pulse_moments"."revenue__shift_x",
  "pulse_moments"."revenue__raw_mean_x",
  "pulse_moments"."revenue__mean_x0",
  "pulse_moments"."revenue__var_x0",
  "pulse_moments"."revenue__cov_xx0",
  "pulse_moments"."revenue__shift_x0",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
UNION ALL
SELECT
  "day",
  NULL,
  "grp",
  "n",
  "big_spenders__mean_x",
  "big_spenders__var_x",
  "big_spenders__shift_x",
  "big_spenders__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  "frequent_buyers__mean_x",
  "frequent_buyers__var_x",
  "frequent_buyers__shift_x",
  "frequent_buyers__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  "revenue__mean_x",
  "revenue__var_x",
  "revenue__shift_x",
  "revenue__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM "pulse_daily_moments"
UNION ALL
SELECT
  NULL,
  "days_since_exposure",
  "grp",
  "n",
  "big_spenders__mean_x",
  "big_spenders__var_x",
  "big_spenders__shift_x",
  "big_spenders__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  "frequent_buyers__mean_x",
  "frequent_buyers__var_x",
  "frequent_buyers__shift_x",
  "frequent_buyers__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  "revenue__mean_x",
  "revenue__var_x",
  "revenue__shift_x",
  "revenue__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM "pulse_exposure_day_moments"
ORDER BY "day" NULLS FIRST, "days_since_exposure" NULLS FIRST, "grp"
