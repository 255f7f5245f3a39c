WITH
"exposures" AS (
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
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"daily_rows_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    (CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01') AS "day",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END AS "a0",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END AS "a0_pre",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END AS "a1",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS "a1_pre",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_c2" END END AS "a2",
    MIN((CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01')) OVER (PARTITION BY "u"."unit_id", CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_c2" END END) AS "a2_first_day",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c2" END AS "a2_pre",
    MIN((CAST("r"."pulse_ts" AS DATE) - DATE '2026-03-01')) OVER (PARTITION BY "u"."unit_id", CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c2" END) AS "a2_pre_first_day",
    CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END AS "a3",
    CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END AS "a3_pre"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_c0",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_c1",
      (user_id) AS "pulse_c2"
    FROM "events" AS "src"
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL '14 days')
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
),
"daily_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    "day" AS "day",
    SUM("a0") AS "a0",
    SUM("a0_pre") AS "a0_pre",
    COUNT("a1") AS "a1",
    COUNT("a1_pre") AS "a1_pre",
    COUNT(DISTINCT CASE WHEN "a2_first_day" = "day" THEN "a2" END) AS "a2",
    COUNT(DISTINCT CASE WHEN "a2_pre_first_day" = "day" THEN "a2_pre" END) AS "a2_pre",
    SUM("a3") AS "a3",
    SUM("a3_pre") AS "a3_pre"
  FROM "daily_rows_0"
  GROUP BY "unit_id", "day"
),
"pass_0" AS (
  SELECT
    "unit_id" AS "unit_id",
    SUM("a0") AS "a0",
    SUM("a0_pre") AS "a0_pre",
    SUM("a1") AS "a1",
    SUM("a1_pre") AS "a1_pre",
    SUM("a2") AS "a2",
    SUM("a2_pre") AS "a2_pre",
    SUM("a3") AS "a3",
    SUM("a3_pre") AS "a3_pre"
  FROM "daily_0"
  GROUP BY "unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(CASE WHEN CAST(COALESCE("p0"."a0", 0) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v0",
    CAST(CASE WHEN CAST(COALESCE("p0"."a0_pre", 0) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v0_pre",
    CAST(CASE WHEN CAST(COALESCE("p0"."a1", 0) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v1",
    CAST(CASE WHEN CAST(COALESCE("p0"."a1_pre", 0) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v1_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE("p0"."a2", 0) AS DOUBLE PRECISION) >= CAST(2.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) END AS "v2",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE("p0"."a2_pre", 0) AS DOUBLE PRECISION) >= CAST(2.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) END AS "v2_pre",
    CAST(COALESCE("p0"."a3", 0) AS DOUBLE PRECISION) AS "v3",
    CAST(COALESCE("p0"."a3_pre", 0) AS DOUBLE PRECISION) AS "v3_pre"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("v0"), 0) AS "m0_shift_x",
    COALESCE(AVG("v0_pre"), 0) AS "m0_shift_x0",
    COALESCE(AVG("v1"), 0) AS "m1_shift_x",
    COALESCE(AVG("v1_pre"), 0) AS "m1_shift_x0",
    COALESCE(AVG("v2"), 0) AS "m2_shift_x",
    COALESCE(AVG("v2_pre"), 0) AS "m2_shift_x0",
    COALESCE(AVG("v3"), 0) AS "m3_shift_x",
    COALESCE(AVG("v3_pre"), 0) AS "m3_shift_x0"
  FROM "unit_values"
),
"shifted_values" AS (
  SELECT
    "unit_values".*,
    "unit_values"."v0" - "pilots"."m0_shift_x" AS "s0_x",
    "pilots"."m0_shift_x" AS "m0_shift_x",
    "unit_values"."v0_pre" - "pilots"."m0_shift_x0" AS "s0_x0",
    "pilots"."m0_shift_x0" AS "m0_shift_x0",
    "unit_values"."v1" - "pilots"."m1_shift_x" AS "s1_x",
    "pilots"."m1_shift_x" AS "m1_shift_x",
    "unit_values"."v1_pre" - "pilots"."m1_shift_x0" AS "s1_x0",
    "pilots"."m1_shift_x0" AS "m1_shift_x0",
    "unit_values"."v2" - "pilots"."m2_shift_x" AS "s2_x",
    "pilots"."m2_shift_x" AS "m2_shift_x",
    "unit_values"."v2_pre" - "pilots"."m2_shift_x0" AS "s2_x0",
    "pilots"."m2_shift_x0" AS "m2_shift_x0",
    "unit_values"."v3" - "pilots"."m3_shift_x" AS "s3_x",
    "pilots"."m3_shift_x" AS "m3_shift_x",
    "unit_values"."v3_pre" - "pilots"."m3_shift_x0" AS "s3_x0",
    "pilots"."m3_shift_x0" AS "m3_shift_x0"
  FROM "unit_values"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("v0") AS "m0_raw_mean_x",
    AVG("s0_x0") AS "m0_mean_x0",
    VAR_SAMP("s0_x0") AS "m0_var_x0",
    COVAR_SAMP("s0_x", "s0_x0") AS "m0_cov_xx0",
    MIN("m0_shift_x0") AS "m0_shift_x0",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v1") AS "m1_raw_mean_x",
    AVG("s1_x0") AS "m1_mean_x0",
    VAR_SAMP("s1_x0") AS "m1_var_x0",
    COVAR_SAMP("s1_x", "s1_x0") AS "m1_cov_xx0",
    MIN("m1_shift_x0") AS "m1_shift_x0",
    COUNT("s2_x") AS "m2_n",
    AVG("s2_x") AS "m2_mean_x",
    VAR_SAMP("s2_x") AS "m2_var_x",
    MIN("m2_shift_x") AS "m2_shift_x",
    AVG("v2") AS "m2_raw_mean_x",
    AVG("s2_x0") AS "m2_mean_x0",
    VAR_SAMP("s2_x0") AS "m2_var_x0",
    COVAR_SAMP("s2_x", "s2_x0") AS "m2_cov_xx0",
    MIN("m2_shift_x0") AS "m2_shift_x0",
    AVG("s3_x") AS "m3_mean_x",
    VAR_SAMP("s3_x") AS "m3_var_x",
    MIN("m3_shift_x") AS "m3_shift_x",
    AVG("v3") AS "m3_raw_mean_x",
    AVG("s3_x0") AS "m3_mean_x0",
    VAR_SAMP("s3_x0") AS "m3_var_x0",
    COVAR_SAMP("s3_x", "s3_x0") AS "m3_cov_xx0",
    MIN("m3_shift_x0") AS "m3_shift_x0"
  FROM "shifted_values"
  GROUP BY "grp"
),
"days" AS (
  SELECT "d"."day" AS "day"
  FROM generate_series(0, 27) AS "d"("day")
),
"unit_days" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    "u"."grp" AS "grp",
    "days"."day" AS "day"
  FROM "units" AS "u"
  JOIN "days"
    ON "days"."day" >= (CAST("u"."first_exposure" AS DATE) - DATE '2026-03-01')
),
"cumulative" AS (
  SELECT
    "ud"."grp" AS "grp",
    "ud"."day" AS "day",
    CAST(CASE WHEN CAST(SUM(COALESCE("d0"."a0", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) >= CAST(100.0 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v0",
    CAST(CASE WHEN CAST(SUM(COALESCE("d0"."a1", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) > CAST(2.5 AS DOUBLE PRECISION) THEN 1 ELSE 0 END AS DOUBLE PRECISION) AS "v1",
    CAST(SUM(COALESCE("d0"."a3", 0)) OVER (PARTITION BY "ud"."unit_id" ORDER BY "ud"."day" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION) AS "v3"
  FROM "unit_days" AS "ud"
  LEFT JOIN "daily_0" AS "d0"
    ON "d0"."unit_id" = "ud"."unit_id"
    AND "d0"."day" = "ud"."day"
),
"daily_pilots" AS (
  SELECT
    "day" AS "day",
    COALESCE(AVG("v0"), 0) AS "m0_shift_x",
    COALESCE(AVG("v1"), 0) AS "m1_shift_x",
    COALESCE(AVG("v3"), 0) AS "m3_shift_x"
  FROM "cumulative"
  GROUP BY "day"
),
"daily_shifted" AS (
  SELECT
    "cumulative"."grp" AS "grp",
    "cumulative"."day" AS "day",
    "cumulative"."v0" AS "v0",
    "cumulative"."v1" AS "v1",
    "cumulative"."v3" AS "v3",
    "cumulative"."v0" - "daily_pilots"."m0_shift_x" AS "s0_x",
    "daily_pilots"."m0_shift_x" AS "m0_shift_x",
    "cumulative"."v1" - "daily_pilots"."m1_shift_x" AS "s1_x",
    "daily_pilots"."m1_shift_x" AS "m1_shift_x",
    "cumulative"."v3" - "daily_pilots"."m3_shift_x" AS "s3_x",
    "daily_pilots"."m3_shift_x" AS "m3_shift_x"
  FROM "cumulative"
  JOIN "daily_pilots"
    ON "daily_pilots"."day" = "cumulative"."day"
),
"daily_moments" AS (
  SELECT
    "day" AS "day",
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("v0") AS "m0_raw_mean_x",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v1") AS "m1_raw_mean_x",
    AVG("s3_x") AS "m3_mean_x",
    VAR_SAMP("s3_x") AS "m3_var_x",
    MIN("m3_shift_x") AS "m3_shift_x",
    AVG("v3") AS "m3_raw_mean_x"
  FROM "daily_shifted"
  GROUP BY "day", "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  NULL AS "day",
  "moments"."grp",
  "moments"."n",
  "moments"."m0_mean_x",
  "moments"."m0_var_x",
  "moments"."m0_shift_x",
  "moments"."m0_raw_mean_x",
  "moments"."m0_mean_x0",
  "moments"."m0_var_x0",
  "moments"."m0_cov_xx0",
  "moments"."m0_shift_x0",
  "moments"."m1_mean_x",
  "moments"."m1_var_x",
  "moments"."m1_shift_x",
  "moments"."m1_raw_mean_x",
  "moments"."m1_mean_x0",
  "moments"."m1_var_x0",
  "moments"."m1_cov_xx0",
  "moments"."m1_shift_x0",
  "moments"."m2_n",
  "moments"."m2_mean_x",
  "moments"."m2_var_x",
  "moments"."m2_shift_x",
  "moments"."m2_raw_mean_x",
  "moments"."m2_mean_x0",
  "moments"."m2_var_x0",
  "moments"."m2_cov_xx0",
  "moments"."m2_shift_x0",
  "moments"."m3_mean_x",
  "moments"."m3_var_x",
  "moments"."m3_shift_x",
  "moments"."m3_raw_mean_x",
  "moments"."m3_mean_x0",
  "moments"."m3_var_x0",
  "moments"."m3_cov_xx0",
  "moments"."m3_shift_x0",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
UNION ALL
SELECT
  "day",
  "grp",
  "n",
  "m0_mean_x",
  "m0_var_x",
  "m0_shift_x",
  "m0_raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  "m1_mean_x",
  "m1_var_x",
  "m1_shift_x",
  "m1_raw_mean_x",
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
  "m3_mean_x",
  "m3_var_x",
  "m3_shift_x",
  "m3_raw_mean_x",
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM "daily_moments"
ORDER BY "day" NULLS FIRST, "grp"
