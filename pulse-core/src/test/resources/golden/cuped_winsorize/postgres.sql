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
  GROUP BY "src"."org"
),
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END) AS "a0",
    SUM(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END) AS "a0_pre",
    COUNT(DISTINCT CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END) AS "a1",
    COUNT(DISTINCT CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END) AS "a1_pre"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_c0",
      (user_id) AS "pulse_c1"
    FROM "events" AS "src"
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL '7 days')
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."a0", 0) AS DOUBLE PRECISION) AS "v0",
    CAST(COALESCE("p0"."a0_pre", 0) AS DOUBLE PRECISION) AS "v0_pre",
    CAST(COALESCE("p0"."a1", 0) AS DOUBLE PRECISION) AS "v1",
    CAST(COALESCE("p0"."a1_pre", 0) AS DOUBLE PRECISION) AS "v1_pre"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"caps" AS (
  SELECT
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY "v0") AS "m0_x_lower",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY "v1") AS "m0_y_lower",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY "v0_pre") AS "m0_x0_lower",
    PERCENTILE_CONT(0.05) WITHIN GROUP (ORDER BY "v1_pre") AS "m0_y0_lower"
  FROM "unit_values"
),
"capped_values" AS (
  SELECT
    "unit_values"."grp" AS "grp",
    GREATEST("unit_values"."v0", "caps"."m0_x_lower") AS "m0_x",
    GREATEST("unit_values"."v1", "caps"."m0_y_lower") AS "m0_y",
    GREATEST("unit_values"."v0_pre", "caps"."m0_x0_lower") AS "m0_x0",
    GREATEST("unit_values"."v1_pre", "caps"."m0_y0_lower") AS "m0_y0"
  FROM "unit_values"
  CROSS JOIN "caps"
),
"pilots" AS (
  SELECT
    CASE WHEN SUM("m0_y") <> 0 THEN SUM("m0_x") / SUM("m0_y") ELSE 0 END AS "m0_shift_x",
    COALESCE(AVG("m0_y"), 0) AS "m0_center_y",
    CASE WHEN SUM("m0_y0") <> 0 THEN SUM("m0_x0") / SUM("m0_y0") ELSE 0 END AS "m0_shift_x0",
    COALESCE(AVG("m0_y0"), 0) AS "m0_center_y0"
  FROM "capped_values"
),
"shifted_values" AS (
  SELECT
    "capped_values".*,
    "capped_values"."m0_x" - "pilots"."m0_shift_x" * "capped_values"."m0_y" AS "s0_x",
    "capped_values"."m0_y" - "pilots"."m0_center_y" AS "s0_y",
    "pilots"."m0_shift_x" AS "m0_shift_x",
    "capped_values"."m0_x0" - "pilots"."m0_shift_x0" * "capped_values"."m0_y0" AS "s0_x0",
    "capped_values"."m0_y0" - "pilots"."m0_center_y0" AS "s0_y0",
    "pilots"."m0_shift_x0" AS "m0_shift_x0"
  FROM "capped_values"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    AVG("m0_y") AS "m0_mean_y",
    VAR_SAMP("s0_y") AS "m0_var_y",
    COVAR_SAMP("s0_x", "s0_y") AS "m0_cov_xy",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("m0_x") AS "m0_raw_mean_x",
    AVG("s0_x0") AS "m0_mean_x0",
    VAR_SAMP("s0_x0") AS "m0_var_x0",
    COVAR_SAMP("s0_x", "s0_x0") AS "m0_cov_xx0",
    MIN("m0_shift_x0") AS "m0_shift_x0",
    AVG("m0_y0") AS "m0_mean_y0",
    VAR_SAMP("s0_y0") AS "m0_var_y0",
    COVAR_SAMP("s0_x0", "s0_y0") AS "m0_cov_x0y0",
    COVAR_SAMP("s0_x", "s0_y0") AS "m0_cov_xy0",
    COVAR_SAMP("s0_y", "s0_x0") AS "m0_cov_yx0",
    COVAR_SAMP("s0_y", "s0_y0") AS "m0_cov_yy0"
  FROM "shifted_values"
  GROUP BY "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    0 AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  "moments"."grp",
  "moments"."n",
  "moments"."m0_mean_x",
  "moments"."m0_var_x",
  "moments"."m0_mean_y",
  "moments"."m0_var_y",
  "moments"."m0_cov_xy",
  "moments"."m0_shift_x",
  "moments"."m0_raw_mean_x",
  "moments"."m0_mean_x0",
  "moments"."m0_var_x0",
  "moments"."m0_cov_xx0",
  "moments"."m0_shift_x0",
  "moments"."m0_mean_y0",
  "moments"."m0_var_y0",
  "moments"."m0_cov_x0y0",
  "moments"."m0_cov_xy0",
  "moments"."m0_cov_yx0",
  "moments"."m0_cov_yy0",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."grp"
