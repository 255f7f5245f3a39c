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
    AND "src"."ts" < TIMESTAMP '2026-03-15 00:00:00'
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
    "r"."pulse_revenue__numerator" AS "revenue__numerator",
    "r"."pulse_active_users__numerator" AS "active_users__numerator",
    MIN((CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01')) OVER (PARTITION BY "u"."unit_id", "r"."pulse_active_users__numerator") AS "active_users__numerator_first_day",
    "r"."pulse_purchasing_orgs__numerator" AS "purchasing_orgs__numerator",
    CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_revenue__numerator" END AS "revenue_7d__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue__numerator",
      (user_id) AS "pulse_active_users__numerator",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_purchasing_orgs__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-15 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-15 00:00:00'
),
"pulse_daily_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    "day" AS "day",
    SUM("revenue__numerator") AS "revenue__numerator",
    COUNT(DISTINCT CASE WHEN "active_users__numerator_first_day" = "day" THEN "active_users__numerator" END) AS "active_users__numerator",
    COUNT("purchasing_orgs__numerator") AS "purchasing_orgs__numerator",
    SUM("revenue_7d__numerator") AS "revenue_7d__numerator"
  FROM "pulse_daily_rows_0"
  GROUP BY "unit_id", "day"
),
"pulse_pass_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    SUM("revenue__numerator") AS "revenue__numerator",
    SUM("active_users__numerator") AS "active_users__numerator",
    CASE WHEN SUM("purchasing_orgs__numerator") > 0 THEN 1 ELSE 0 END AS "purchasing_orgs__numerator",
    SUM("revenue_7d__numerator") AS "revenue_7d__numerator"
  FROM "pulse_daily_0"
  GROUP BY "unit_id"
),
"pulse_daily_rows_1" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    (CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01') AS "day",
    "r"."pulse_revenue_per_session__denominator" AS "revenue_per_session__denominator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      1 AS "pulse_revenue_per_session__denominator"
    FROM "sessions" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-15 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-15 00:00:00'
),
"pulse_daily_1" AS (
  SELECT
    "unit_id" AS "unit_id",
    "day" AS "day",
    COUNT("revenue_per_session__denominator") AS "revenue_per_session__denominator"
  FROM "pulse_daily_rows_1"
  GROUP BY "unit_id", "day"
),
"pulse_pass_1" AS (
  SELECT
    "unit_id" AS "unit_id",
    SUM("revenue_per_session__denominator") AS "revenue_per_session__denominator"
  FROM "pulse_daily_1"
  GROUP BY "unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE PRECISION) AS "revenue__numerator",
    CAST(COALESCE("p0"."active_users__numerator", 0) AS DOUBLE PRECISION) AS "active_users__numerator",
    CAST(COALESCE("p0"."purchasing_orgs__numerator", 0) AS DOUBLE PRECISION) AS "purchasing_orgs__numerator",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= TIMESTAMP '2026-03-15 00:00:00' THEN CAST(COALESCE("p0"."revenue_7d__numerator", 0) AS DOUBLE PRECISION) END AS "revenue_7d__numerator",
    CAST(COALESCE("p1"."revenue_per_session__denominator", 0) AS DOUBLE PRECISION) AS "revenue_per_session__denominator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
  LEFT JOIN "pulse_pass_1" AS "p1"
    ON "p1"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("active_users__numerator"), 0) AS "active_users__shift_x",
    COALESCE(AVG("purchasing_orgs__numerator"), 0) AS "purchasing_orgs__shift_x",
    CASE WHEN SUM("revenue_per_session__denominator") <> 0 THEN SUM("revenue__numerator") / SUM("revenue_per_session__denominator") ELSE 0 END AS "revenue_per_session__shift_x",
    COALESCE(AVG("revenue_per_session__denominator"), 0) AS "revenue_per_session__center_y",
    COALESCE(AVG("revenue_7d__numerator"), 0) AS "revenue_7d__shift_x"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."revenue__numerator" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_unit_values"."active_users__numerator" - "pulse_pilots"."active_users__shift_x" AS "active_users__shifted_x",
    "pulse_pilots"."active_users__shift_x" AS "active_users__shift_x",
    "pulse_unit_values"."purchasing_orgs__numerator" - "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shifted_x",
    "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shift_x",
    "pulse_unit_values"."revenue__numerator" - "pulse_pilots"."revenue_per_session__shift_x" * "pulse_unit_values"."revenue_per_session__denominator" AS "revenue_per_session__shifted_x",
    "pulse_unit_values"."revenue_per_session__denominator" - "pulse_pilots"."revenue_per_session__center_y" AS "revenue_per_session__shifted_y",
    "pulse_pilots"."revenue_per_session__shift_x" AS "revenue_per_session__shift_x",
    "pulse_unit_values"."revenue_7d__numerator" - "pulse_pilots"."revenue_7d__shift_x" AS "revenue_7d__shifted_x",
    "pulse_pilots"."revenue_7d__shift_x" AS "revenue_7d__shift_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x",
    AVG("active_users__shifted_x") AS "active_users__mean_x",
    VAR_SAMP("active_users__shifted_x") AS "active_users__var_x",
    MIN("active_users__shift_x") AS "active_users__shift_x",
    AVG("active_users__numerator") AS "active_users__raw_mean_x",
    AVG("purchasing_orgs__shifted_x") AS "purchasing_orgs__mean_x",
    VAR_SAMP("purchasing_orgs__shifted_x") AS "purchasing_orgs__var_x",
    MIN("purchasing_orgs__shift_x") AS "purchasing_orgs__shift_x",
    AVG("purchasing_orgs__numerator") AS "purchasing_orgs__raw_mean_x",
    AVG("revenue_per_session__shifted_x") AS "revenue_per_session__mean_x",
    VAR_SAMP("revenue_per_session__shifted_x") AS "revenue_per_session__var_x",
    AVG("revenue_per_session__denominator") AS "revenue_per_session__mean_y",
    VAR_SAMP("revenue_per_session__shifted_y") AS "revenue_per_session__var_y",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_y") AS "revenue_per_session__cov_xy",
    MIN("revenue_per_session__shift_x") AS "revenue_per_session__shift_x",
    AVG("revenue__numerator") AS "revenue_per_session__raw_mean_x",
    COUNT("revenue_7d__shifted_x") AS "revenue_7d__n",
    AVG("revenue_7d__shifted_x") AS "revenue_7d__mean_x",
    VAR_SAMP("revenue_7d__shifted_x") AS "revenue_7d__var_x",
    MIN("revenue_7d__shift_x") AS "revenue_7d__shift_x",
    AVG("revenue_7d__numerator") AS "revenue_7d__raw_mean_x"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_days" AS (
  SELECT "d"."day" AS "day"
  FROM generate_series(0, 13) AS "d"("day")
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
    CAST(SUM(COALESCE("d0"."revenue__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "revenue__numerator",
    CAST(SUM(COALESCE("d0"."active_users__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "active_users__numerator",
    CAST(CASE WHEN SUM(COALESCE("d0"."purchasing_orgs__numerator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) > 0 THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "purchasing_orgs__numerator",
    CAST(SUM(COALESCE("d1"."revenue_per_session__denominator", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "revenue_per_session__denominator"
  FROM "pulse_unit_days" AS "ud"
  LEFT JOIN "pulse_daily_0" AS "d0"
    ON "d0"."unit_id" = "ud"."unit_id"
    AND "d0"."day" = "ud"."day"
  LEFT JOIN "pulse_daily_1" AS "d1"
    ON "d1"."unit_id" = "ud"."unit_id"
    AND "d1"."day" = "ud"."day"
),
"pulse_daily_pilots" AS (
  SELECT
    "day" AS "day",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("active_users__numerator"), 0) AS "active_users__shift_x",
    COALESCE(AVG("purchasing_orgs__numerator"), 0) AS "purchasing_orgs__shift_x",
    CASE WHEN SUM("revenue_per_session__denominator") <> 0 THEN SUM("revenue__numerator") / SUM("revenue_per_session__denominator") ELSE 0 END AS "revenue_per_session__shift_x",
    COALESCE(AVG("revenue_per_session__denominator"), 0) AS "revenue_per_session__center_y"
  FROM "pulse_cumulative"
  GROUP BY "day"
),
"pulse_daily_shifted" AS (
  SELECT
    "pulse_cumulative"."grp" AS "grp",
    "pulse_cumulative"."day" AS "day",
    "pulse_cumulative"."revenue__numerator" AS "revenue__numerator",
    "pulse_cumulative"."active_users__numerator" AS "active_users__numerator",
    "pulse_cumulative"."purchasing_orgs__numerator" AS "purchasing_orgs__numerator",
    "pulse_cumulative"."revenue_per_session__denominator" AS "revenue_per_session__denominator",
    "pulse_cumulative"."revenue__numerator" - "pulse_daily_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_daily_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_cumulative"."active_users__numerator" - "pulse_daily_pilots"."active_users__shift_x" AS "active_users__shifted_x",
    "pulse_daily_pilots"."active_users__shift_x" AS "active_users__shift_x",
    "pulse_cumulative"."purchasing_orgs__numerator" - "pulse_daily_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shifted_x",
    "pulse_daily_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shift_x",
    "pulse_cumulative"."revenue__numerator" - "pulse_daily_pilots"."revenue_per_session__shift_x" * "pulse_cumulative"."revenue_per_session__denominator" AS "revenue_per_session__shifted_x",
    "pulse_cumulative"."revenue_per_session__denominator" - "pulse_daily_pilots"."revenue_per_session__center_y" AS "revenue_per_session__shifted_y",
    "pulse_daily_pilots"."revenue_per_session__shift_x" AS "revenue_per_session__shift_x"
  FROM "pulse_cumulative"
  JOIN "pulse_daily_pilots"
    ON "pulse_daily_pilots"."day" = "pulse_cumulative"."day"
),
"pulse_daily_moments" AS (
  SELECT
    "day" AS "day",
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x",
    AVG("active_users__shifted_x") AS "active_users__mean_x",
    VAR_SAMP("active_users__shifted_x") AS "active_users__var_x",
    MIN("active_users__shift_x") AS "active_users__shift_x",
    AVG("active_users__numerator") AS "active_users__raw_mean_x",
    AVG("purchasing_orgs__shifted_x") AS "purchasing_orgs__mean_x",
    VAR_SAMP("purchasing_orgs__shifted_x") AS "purchasing_orgs__var_x",
    MIN("purchasing_orgs__shift_x") AS "purchasing_orgs__shift_x",
    AVG("purchasing_orgs__numerator") AS "purchasing_orgs__raw_mean_x",
    AVG("revenue_per_session__shifted_x") AS "revenue_per_session__mean_x",
    VAR_SAMP("revenue_per_session__shifted_x") AS "revenue_per_session__var_x",
    AVG("revenue_per_session__denominator") AS "revenue_per_session__mean_y",
    VAR_SAMP("revenue_per_session__shifted_y") AS "revenue_per_session__var_y",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_y") AS "revenue_per_session__cov_xy",
    MIN("revenue_per_session__shift_x") AS "revenue_per_session__shift_x",
    AVG("revenue__numerator") AS "revenue_per_session__raw_mean_x"
  FROM "pulse_daily_shifted"
  GROUP BY "day", "grp"
),
"pulse_exposure_day_pilots" AS (
  SELECT
    "days_since_exposure" AS "days_since_exposure",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("active_users__numerator"), 0) AS "active_users__shift_x",
    COALESCE(AVG("purchasing_orgs__numerator"), 0) AS "purchasing_orgs__shift_x",
    CASE WHEN SUM("revenue_per_session__denominator") <> 0 THEN SUM("revenue__numerator") / SUM("revenue_per_session__denominator") ELSE 0 END AS "revenue_per_session__shift_x",
    COALESCE(AVG("revenue_per_session__denominator"), 0) AS "revenue_per_session__center_y"
  FROM "pulse_cumulative"
  GROUP BY "days_since_exposure"
),
"pulse_exposure_day_shifted" AS (
  SELECT
    "pulse_cumulative"."grp" AS "grp",
    "pulse_cumulative"."days_since_exposure" AS "days_since_exposure",
    "pulse_cumulative"."revenue__numerator" AS "revenue__numerator",
    "pulse_cumulative"."active_users__numerator" AS "active_users__numerator",
    "pulse_cumulative"."purchasing_orgs__numerator" AS "purchasing_orgs__numerator",
    "pulse_cumulative"."revenue_per_session__denominator" AS "revenue_per_session__denominator",
    "pulse_cumulative"."revenue__numerator" - "pulse_exposure_day_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_exposure_day_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_cumulative"."active_users__numerator" - "pulse_exposure_day_pilots"."active_users__shift_x" AS "active_users__shifted_x",
    "pulse_exposure_day_pilots"."active_users__shift_x" AS "active_users__shift_x",
    "pulse_cumulative"."purchasing_orgs__numerator" - "pulse_exposure_day_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shifted_x",
    "pulse_exposure_day_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shift_x",
    "pulse_cumulative"."revenue__numerator" - "pulse_exposure_day_pilots"."revenue_per_session__shift_x" * "pulse_cumulative"."revenue_per_session__denominator" AS "revenue_per_session__shifted_x",
    "pulse_cumulative"."revenue_per_session__denominator" - "pulse_exposure_day_pilots"."revenue_per_session__center_y" AS "revenue_per_session__shifted_y",
    "pulse_exposure_day_pilots"."revenue_per_session__shift_x" AS "revenue_per_session__shift_x"
  FROM "pulse_cumulative"
  JOIN "pulse_exposure_day_pilots"
    ON "pulse_exposure_day_pilots"."days_since_exposure" = "pulse_cumulative"."days_since_exposure"
),
"pulse_exposure_day_moments" AS (
  SELECT
    "days_since_exposure" AS "days_since_exposure",
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x",
    AVG("active_users__shifted_x") AS "active_users__mean_x",
    VAR_SAMP("active_users__shifted_x") AS "active_users__var_x",
    MIN("active_users__shift_x") AS "active_users__shift_x",
    AVG("active_users__numerator") AS "active_users__raw_mean_x",
    AVG("purchasing_orgs__shifted_x") AS "purchasing_orgs__mean_x",
    VAR_SAMP("purchasing_orgs__shifted_x") AS "purchasing_orgs__var_x",
    MIN("purchasing_orgs__shift_x") AS "purchasing_orgs__shift_x",
    AVG("purchasing_orgs__numerator") AS "purchasing_orgs__raw_mean_x",
    AVG("revenue_per_session__shifted_x") AS "revenue_per_session__mean_x",
    VAR_SAMP("revenue_per_session__shifted_x") AS "revenue_per_session__var_x",
    AVG("revenue_per_session__denominator") AS "revenue_per_session__mean_y",
    VAR_SAMP("revenue_per_session__shifted_y") AS "revenue_per_session__var_y",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_y") AS "revenue_per_session__cov_xy",
    MIN("revenue_per_session__shift_x") AS "revenue_per_session__shift_x",
    AVG("revenue__numerator") AS "revenue_per_session__raw_mean_x"
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
  "pulse_moments"."revenue__mean_x",
  "pulse_moments"."revenue__var_x",
  "pulse_moments"."revenue__shift_x",
  "pulse_moments"."revenue__raw_mean_x",
  "pulse_moments"."active_users__mean_x",
  "pulse_moments"."active_users__var_x",
  "pulse_moments"."active_users__shift_x",
  "pulse_moments"."active_users__raw_mean_x",
  "pulse_moments"."purchasing_orgs__mean_x",
  "pulse_moments"."purchasing_orgs__var_x",
  "pulse_moments"."purchasing_orgs__shift_x",
  "pulse_moments"."purchasing_orgs__raw_mean_x",
  "pulse_moments"."revenue_per_session__mean_x",
  "pulse_moments"."revenue_per_session__var_x",
  "pulse_moments"."revenue_per_session__mean_y",
  "pulse_moments"."revenue_per_session__var_y",
  "pulse_moments"."revenue_per_session__cov_xy",
  "pulse_moments"."revenue_per_session__shift_x",
  "pulse_moments"."revenue_per_session__raw_mean_x",
  "pulse_moments"."revenue_7d__n",
  "pulse_moments"."revenue_7d__mean_x",
  "pulse_moments"."revenue_7d__var_x",
  "pulse_moments"."revenue_7d__shift_x",
  "pulse_moments"."revenue_7d__raw_mean_x",
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
  "revenue__mean_x",
  "revenue__var_x",
  "revenue__shift_x",
  "revenue__raw_mean_x",
  "active_users__mean_x",
  "active_users__var_x",
  "active_users__shift_x",
  "active_users__raw_mean_x",
  "purchasing_orgs__mean_x",
  "purchasing_orgs__var_x",
  "purchasing_orgs__shift_x",
  "purchasing_orgs__raw_mean_x",
  "revenue_per_session__mean_x",
  "revenue_per_session__var_x",
  "revenue_per_session__mean_y",
  "revenue_per_session__var_y",
  "revenue_per_session__cov_xy",
  "revenue_per_session__shift_x",
  "revenue_per_session__raw_mean_x",
  NULL,
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
  "revenue__mean_x",
  "revenue__var_x",
  "revenue__shift_x",
  "revenue__raw_mean_x",
  "active_users__mean_x",
  "active_users__var_x",
  "active_users__shift_x",
  "active_users__raw_mean_x",
  "purchasing_orgs__mean_x",
  "purchasing_orgs__var_x",
  "purchasing_orgs__shift_x",
  "purchasing_orgs__raw_mean_x",
  "revenue_per_session__mean_x",
  "revenue_per_session__var_x",
  "revenue_per_session__mean_y",
  "revenue_per_session__var_y",
  "revenue_per_session__cov_xy",
  "revenue_per_session__shift_x",
  "revenue_per_session__raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM "pulse_exposure_day_moments"
ORDER BY "day" NULLS FIRST, "days_since_exposure" NULLS FIRST, "grp"
