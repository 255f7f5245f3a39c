WITH
"exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"triggers" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    MIN("r"."pulse_ts") AS "triggered_at"
  FROM "exposures"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts"
    FROM "page_views" AS "src"
    WHERE (
page = 'checkout'
    )
  ) AS "r"
    ON "r"."pulse_unit_id" = "exposures"."unit_id"
    AND "r"."pulse_ts" >= "exposures"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  WHERE "exposures"."groups_seen" = 1
  GROUP BY "exposures"."unit_id"
),
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure",
    "triggers"."triggered_at" AS "analysis_start"
  FROM "exposures"
  JOIN "triggers"
    ON "triggers"."unit_id" = "exposures"."unit_id"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM(CASE WHEN "r"."pulse_ts" >= "u"."analysis_start" THEN "r"."pulse_c0" END) AS "a0",
    SUM(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END) AS "a0_pre",
    SUM(CASE WHEN "r"."pulse_ts" >= "u"."analysis_start" THEN CASE WHEN "r"."pulse_ts" >= ("u"."analysis_start" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."analysis_start" + INTERVAL 7 DAY) THEN "r"."pulse_c0" END END) AS "a1",
    SUM(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END) AS "a1_pre"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_c0"
    FROM "events" AS "src"
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL 7 DAY)
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."a0", 0) AS DOUBLE) AS "v0",
    CAST(COALESCE("p0"."a0_pre", 0) AS DOUBLE) AS "v0_pre",
    CASE WHEN ("u"."analysis_start" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a1", 0) AS DOUBLE) END AS "v1",
    CASE WHEN ("u"."analysis_start" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a1_pre", 0) AS DOUBLE) END AS "v1_pre"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("v0"), 0) AS "m0_shift_x",
    COALESCE(AVG("v0_pre"), 0) AS "m0_shift_x0",
    COALESCE(AVG("v1"), 0) AS "m1_shift_x",
    COALESCE(AVG("v1_pre"), 0) AS "m1_shift_x0"
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
    "pilots"."m1_shift_x0" AS "m1_shift_x0"
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
    COUNT("s1_x") AS "m1_n",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v1") AS "m1_raw_mean_x",
    AVG("s1_x0") AS "m1_mean_x0",
    VAR_SAMP("s1_x0") AS "m1_var_x0",
    COVAR_SAMP("s1_x", "s1_x0") AS "m1_cov_xx0",
    MIN("m1_shift_x0") AS "m1_shift_x0"
  FROM "shifted_values"
  GROUP BY "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group",
    COUNT(CASE WHEN "exposures"."groups_seen" = 1 AND "exposures"."grp" IN ('control', 'treat') AND "triggers"."unit_id" IS NULL THEN 1 END) AS "excluded_not_triggered"
  FROM "exposures"
  LEFT JOIN "triggers"
    ON "triggers"."unit_id" = "exposures"."unit_id"
)
SELECT
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
  "moments"."m1_n",
  "moments"."m1_mean_x",
  "moments"."m1_var_x",
  "moments"."m1_shift_x",
  "moments"."m1_raw_mean_x",
  "moments"."m1_mean_x0",
  "moments"."m1_var_x0",
  "moments"."m1_cov_xx0",
  "moments"."m1_shift_x0",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group",
  "exclusions"."excluded_not_triggered"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."grp"
