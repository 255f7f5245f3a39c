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
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    ARG_MIN(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE), ("r"."pulse_ts", -(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE)))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE) IS NOT NULL) AS "a0",
    ARG_MIN(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE), ("r"."pulse_ts", -(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE)))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END AS DOUBLE) IS NOT NULL) AS "a0_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c0" END) > 0 THEN 1 ELSE 0 END AS "a1",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c0" END) > 0 THEN 1 ELSE 0 END AS "a1_pre",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE) IS NOT NULL) AS "a2",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE) IS NOT NULL) AS "a2_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_c1" END) > 0 THEN 1 ELSE 0 END AS "a3",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END) > 0 THEN 1 ELSE 0 END AS "a3_pre",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_c1" END END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_c1" END END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_c1" END END AS DOUBLE) IS NOT NULL) AS "a4",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END AS DOUBLE) IS NOT NULL) AS "a4_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_c1" END END) > 0 THEN 1 ELSE 0 END AS "a5",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_c1" END) > 0 THEN 1 ELSE 0 END AS "a5_pre"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (kind = 'plan') THEN (price) END AS "pulse_c0",
      (price) AS "pulse_c1"
    FROM "events" AS "src"
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL 14 DAY)
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."a0", 0) AS DOUBLE) AS "v0",
    CAST(COALESCE("p0"."a0_pre", 0) AS DOUBLE) AS "v0_pre",
    CAST(COALESCE("p0"."a1", 0) AS DOUBLE) AS "v1",
    CAST(COALESCE("p0"."a1_pre", 0) AS DOUBLE) AS "v1_pre",
    CAST(COALESCE("p0"."a2", 0) AS DOUBLE) AS "v2",
    CAST(COALESCE("p0"."a2_pre", 0) AS DOUBLE) AS "v2_pre",
    CAST(COALESCE("p0"."a3", 0) AS DOUBLE) AS "v3",
    CAST(COALESCE("p0"."a3_pre", 0) AS DOUBLE) AS "v3_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a4", 0) AS DOUBLE) END AS "v4",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a4_pre", 0) AS DOUBLE) END AS "v4_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a5", 0) AS DOUBLE) END AS "v5",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."a5_pre", 0) AS DOUBLE) END AS "v5_pre"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pilots" AS (
  SELECT
    CASE WHEN SUM("v1") <> 0 THEN SUM("v0") / SUM("v1") ELSE 0 END AS "m0_shift_x",
    COALESCE(AVG("v1"), 0) AS "m0_center_y",
    CASE WHEN SUM("v1_pre") <> 0 THEN SUM("v0_pre") / SUM("v1_pre") ELSE 0 END AS "m0_shift_x0",
    COALESCE(AVG("v1_pre"), 0) AS "m0_center_y0",
    CASE WHEN SUM("v3") <> 0 THEN SUM("v2") / SUM("v3") ELSE 0 END AS "m1_shift_x",
    COALESCE(AVG("v3"), 0) AS "m1_center_y",
    CASE WHEN SUM("v3_pre") <> 0 THEN SUM("v2_pre") / SUM("v3_pre") ELSE 0 END AS "m1_shift_x0",
    COALESCE(AVG("v3_pre"), 0) AS "m1_center_y0",
    CASE WHEN SUM("v5") <> 0 THEN SUM("v4") / SUM("v5") ELSE 0 END AS "m2_shift_x",
    COALESCE(AVG("v5"), 0) AS "m2_center_y",
    CASE WHEN SUM("v5_pre") <> 0 THEN SUM("v4_pre") / SUM("v5_pre") ELSE 0 END AS "m2_shift_x0",
    COALESCE(AVG("v5_pre"), 0) AS "m2_center_y0"
  FROM "unit_values"
),
"shifted_values" AS (
  SELECT
    "unit_values".*,
    "unit_values"."v0" - "pilots"."m0_shift_x" * "unit_values"."v1" AS "s0_x",
    "unit_values"."v1" - "pilots"."m0_center_y" AS "s0_y",
    "pilots"."m0_shift_x" AS "m0_shift_x",
    "unit_values"."v0_pre" - "pilots"."m0_shift_x0" * "unit_values"."v1_pre" AS "s0_x0",
    "unit_values"."v1_pre" - "pilots"."m0_center_y0" AS "s0_y0",
    "pilots"."m0_shift_x0" AS "m0_shift_x0",
    "unit_values"."v2" - "pilots"."m1_shift_x" * "unit_values"."v3" AS "s1_x",
    "unit_values"."v3" - "pilots"."m1_center_y" AS "s1_y",
    "pilots"."m1_shift_x" AS "m1_shift_x",
    "unit_values"."v2_pre" - "pilots"."m1_shift_x0" * "unit_values"."v3_pre" AS "s1_x0",
    "unit_values"."v3_pre" - "pilots"."m1_center_y0" AS "s1_y0",
    "pilots"."m1_shift_x0" AS "m1_shift_x0",
    "unit_values"."v4" - "pilots"."m2_shift_x" * "unit_values"."v5" AS "s2_x",
    "unit_values"."v5" - "pilots"."m2_center_y" AS "s2_y",
    "pilots"."m2_shift_x" AS "m2_shift_x",
    "unit_values"."v4_pre" - "pilots"."m2_shift_x0" * "unit_values"."v5_pre" AS "s2_x0",
    "unit_values"."v5_pre" - "pilots"."m2_center_y0" AS "s2_y0",
    "pilots"."m2_shift_x0" AS "m2_shift_x0"
  FROM "unit_values"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("s0_x") AS "m0_mean_x",
    VAR_SAMP("s0_x") AS "m0_var_x",
    AVG("v1") AS "m0_mean_y",
    VAR_SAMP("s0_y") AS "m0_var_y",
    COVAR_SAMP("s0_x", "s0_y") AS "m0_cov_xy",
    MIN("m0_shift_x") AS "m0_shift_x",
    AVG("v0") AS "m0_raw_mean_x",
    AVG("s0_x0") AS "m0_mean_x0",
    VAR_SAMP("s0_x0") AS "m0_var_x0",
    COVAR_SAMP("s0_x", "s0_x0") AS "m0_cov_xx0",
    MIN("m0_shift_x0") AS "m0_shift_x0",
    AVG("v1_pre") AS "m0_mean_y0",
    VAR_SAMP("s0_y0") AS "m0_var_y0",
    COVAR_SAMP("s0_x0", "s0_y0") AS "m0_cov_x0y0",
    COVAR_SAMP("s0_x", "s0_y0") AS "m0_cov_xy0",
    COVAR_SAMP("s0_y", "s0_x0") AS "m0_cov_yx0",
    COVAR_SAMP("s0_y", "s0_y0") AS "m0_cov_yy0",
    AVG("s1_x") AS "m1_mean_x",
    VAR_SAMP("s1_x") AS "m1_var_x",
    AVG("v3") AS "m1_mean_y",
    VAR_SAMP("s1_y") AS "m1_var_y",
    COVAR_SAMP("s1_x", "s1_y") AS "m1_cov_xy",
    MIN("m1_shift_x") AS "m1_shift_x",
    AVG("v2") AS "m1_raw_mean_x",
    AVG("s1_x0") AS "m1_mean_x0",
    VAR_SAMP("s1_x0") AS "m1_var_x0",
    COVAR_SAMP("s1_x", "s1_x0") AS "m1_cov_xx0",
    MIN("m1_shift_x0") AS "m1_shift_x0",
    AVG("v3_pre") AS "m1_mean_y0",
    VAR_SAMP("s1_y0") AS "m1_var_y0",
    COVAR_SAMP("s1_x0", "s1_y0") AS "m1_cov_x0y0",
    COVAR_SAMP("s1_x", "s1_y0") AS "m1_cov_xy0",
    COVAR_SAMP("s1_y", "s1_x0") AS "m1_cov_yx0",
    COVAR_SAMP("s1_y", "s1_y0") AS "m1_cov_yy0",
    COUNT("s2_x") AS "m2_n",
    AVG("s2_x") AS "m2_mean_x",
    VAR_SAMP("s2_x") AS "m2_var_x",
    AVG("v5") AS "m2_mean_y",
    VAR_SAMP("s2_y") AS "m2_var_y",
    COVAR_SAMP("s2_x", "s2_y") AS "m2_cov_xy",
    MIN("m2_shift_x") AS "m2_shift_x",
    AVG("v4") AS "m2_raw_mean_x",
    AVG("s2_x0") AS "m2_mean_x0",
    VAR_SAMP("s2_x0") AS "m2_var_x0",
    COVAR_SAMP("s2_x", "s2_x0") AS "m2_cov_xx0",
    MIN("m2_shift_x0") AS "m2_shift_x0",
    AVG("v5_pre") AS "m2_mean_y0",
    VAR_SAMP("s2_y0") AS "m2_var_y0",
    COVAR_SAMP("s2_x0", "s2_y0") AS "m2_cov_x0y0",
    COVAR_SAMP("s2_x", "s2_y0") AS "m2_cov_xy0",
    COVAR_SAMP("s2_y", "s2_x0") AS "m2_cov_yx0",
    COVAR_SAMP("s2_y", "s2_y0") AS "m2_cov_yy0"
  FROM "shifted_values"
  GROUP BY "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
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
  "moments"."m1_mean_x",
  "moments"."m1_var_x",
  "moments"."m1_mean_y",
  "moments"."m1_var_y",
  "moments"."m1_cov_xy",
  "moments"."m1_shift_x",
  "moments"."m1_raw_mean_x",
  "moments"."m1_mean_x0",
  "moments"."m1_var_x0",
  "moments"."m1_cov_xx0",
  "moments"."m1_shift_x0",
  "moments"."m1_mean_y0",
  "moments"."m1_var_y0",
  "moments"."m1_cov_x0y0",
  "moments"."m1_cov_xy0",
  "moments"."m1_cov_yx0",
  "moments"."m1_cov_yy0",
  "moments"."m2_n",
  "moments"."m2_mean_x",
  "moments"."m2_var_x",
  "moments"."m2_mean_y",
  "moments"."m2_var_y",
  "moments"."m2_cov_xy",
  "moments"."m2_shift_x",
  "moments"."m2_raw_mean_x",
  "moments"."m2_mean_x0",
  "moments"."m2_var_x0",
  "moments"."m2_cov_xx0",
  "moments"."m2_shift_x0",
  "moments"."m2_mean_y0",
  "moments"."m2_var_y0",
  "moments"."m2_cov_x0y0",
  "moments"."m2_cov_xy0",
  "moments"."m2_cov_yx0",
  "moments"."m2_cov_yy0",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."grp"
