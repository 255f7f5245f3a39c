WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
    AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
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
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_revenue__numerator" END) AS "revenue__numerator",
    SUM(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_revenue__numerator" END) AS "revenue__numerator_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_purchasing_orgs__numerator" END) > 0 THEN 1 ELSE 0 END AS "purchasing_orgs__numerator",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_purchasing_orgs__numerator" END) > 0 THEN 1 ELSE 0 END AS "purchasing_orgs__numerator_pre"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue__numerator",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_purchasing_orgs__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= CAST('2026-02-15 00:00:00' AS TIMESTAMP_NTZ)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= DATEADD(DAY, -14, "u"."first_exposure")
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  GROUP BY "u"."unit_id"
),
"pulse_pass_1" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_revenue_per_session__denominator" END) AS "revenue_per_session__denominator",
    COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_revenue_per_session__denominator" END) AS "revenue_per_session__denominator_pre"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      1 AS "pulse_revenue_per_session__denominator"
    FROM "sessions" AS "src"
    WHERE "src"."ts" >= CAST('2026-02-15 00:00:00' AS TIMESTAMP_NTZ)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= DATEADD(DAY, -14, "u"."first_exposure")
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP_NTZ)
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE) AS "revenue__numerator",
    CAST(COALESCE("p0"."revenue__numerator_pre", 0) AS DOUBLE) AS "revenue__numerator_pre",
    CAST(COALESCE("p0"."purchasing_orgs__numerator", 0) AS DOUBLE) AS "purchasing_orgs__numerator",
    CAST(COALESCE("p0"."purchasing_orgs__numerator_pre", 0) AS DOUBLE) AS "purchasing_orgs__numerator_pre",
    CAST(COALESCE("p1"."revenue_per_session__denominator", 0) AS DOUBLE) AS "revenue_per_session__denominator",
    CAST(COALESCE("p1"."revenue_per_session__denominator_pre", 0) AS DOUBLE) AS "revenue_per_session__denominator_pre"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
  LEFT JOIN "pulse_pass_1" AS "p1"
    ON "p1"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("revenue__numerator_pre"), 0) AS "revenue__shift_x0",
    CASE WHEN SUM("revenue_per_session__denominator") <> 0 THEN SUM("revenue__numerator") / SUM("revenue_per_session__denominator") ELSE 0 END AS "revenue_per_session__shift_x",
    COALESCE(AVG("revenue_per_session__denominator"), 0) AS "revenue_per_session__center_y",
    CASE WHEN SUM("revenue_per_session__denominator_pre") <> 0 THEN SUM("revenue__numerator_pre") / SUM("revenue_per_session__denominator_pre") ELSE 0 END AS "revenue_per_session__shift_x0",
    COALESCE(AVG("revenue_per_session__denominator_pre"), 0) AS "revenue_per_session__center_y0",
    COALESCE(AVG("purchasing_orgs__numerator"), 0) AS "purchasing_orgs__shift_x",
    COALESCE(AVG("purchasing_orgs__numerator_pre"), 0) AS "purchasing_orgs__shift_x0"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."revenue__numerator" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x",
    "pulse_unit_values"."revenue__numerator_pre" - "pulse_pilots"."revenue__shift_x0" AS "revenue__shifted_x0",
    "pulse_pilots"."revenue__shift_x0" AS "revenue__shift_x0",
    "pulse_unit_values"."revenue__numerator" - "pulse_pilots"."revenue_per_session__shift_x" * "pulse_unit_values"."revenue_per_session__denominator" AS "revenue_per_session__shifted_x",
    "pulse_unit_values"."revenue_per_session__denominator" - "pulse_pilots"."revenue_per_session__center_y" AS "revenue_per_session__shifted_y",
    "pulse_pilots"."revenue_per_session__shift_x" AS "revenue_per_session__shift_x",
    "pulse_unit_values"."revenue__numerator_pre" - "pulse_pilots"."revenue_per_session__shift_x0" * "pulse_unit_values"."revenue_per_session__denominator_pre" AS "revenue_per_session__shifted_x0",
    "pulse_unit_values"."revenue_per_session__denominator_pre" - "pulse_pilots"."revenue_per_session__center_y0" AS "revenue_per_session__shifted_y0",
    "pulse_pilots"."revenue_per_session__shift_x0" AS "revenue_per_session__shift_x0",
    "pulse_unit_values"."purchasing_orgs__numerator" - "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shifted_x",
    "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shift_x",
    "pulse_unit_values"."purchasing_orgs__numerator_pre" - "pulse_pilots"."purchasing_orgs__shift_x0" AS "purchasing_orgs__shifted_x0",
    "pulse_pilots"."purchasing_orgs__shift_x0" AS "purchasing_orgs__shift_x0"
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
    AVG("revenue__shifted_x0") AS "revenue__mean_x0",
    VAR_SAMP("revenue__shifted_x0") AS "revenue__var_x0",
    COVAR_SAMP("revenue__shifted_x", "revenue__shifted_x0") AS "revenue__cov_xx0",
    MIN("revenue__shift_x0") AS "revenue__shift_x0",
    COVAR_SAMP("revenue__shifted_x", "revenue_per_session__shifted_x0") AS "pulse_cov_0x_1x0",
    COVAR_SAMP("revenue__shifted_x", "revenue_per_session__shifted_y0") AS "pulse_cov_0x_1y0",
    COVAR_SAMP("revenue__shifted_x", "purchasing_orgs__shifted_x0") AS "pulse_cov_0x_2x0",
    COVAR_SAMP("revenue__shifted_x0", "revenue_per_session__shifted_x0") AS "pulse_cov_0x0_1x0",
    COVAR_SAMP("revenue__shifted_x0", "revenue_per_session__shifted_y0") AS "pulse_cov_0x0_1y0",
    COVAR_SAMP("revenue__shifted_x0", "purchasing_orgs__shifted_x0") AS "pulse_cov_0x0_2x0",
    AVG("revenue_per_session__shifted_x") AS "revenue_per_session__mean_x",
    VAR_SAMP("revenue_per_session__shifted_x") AS "revenue_per_session__var_x",
    AVG("revenue_per_session__denominator") AS "revenue_per_session__mean_y",
    VAR_SAMP("revenue_per_session__shifted_y") AS "revenue_per_session__var_y",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_y") AS "revenue_per_session__cov_xy",
    MIN("revenue_per_session__shift_x") AS "revenue_per_session__shift_x",
    AVG("revenue__numerator") AS "revenue_per_session__raw_mean_x",
    AVG("revenue_per_session__shifted_x0") AS "revenue_per_session__mean_x0",
    VAR_SAMP("revenue_per_session__shifted_x0") AS "revenue_per_session__var_x0",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_x0") AS "revenue_per_session__cov_xx0",
    MIN("revenue_per_session__shift_x0") AS "revenue_per_session__shift_x0",
    AVG("revenue_per_session__denominator_pre") AS "revenue_per_session__mean_y0",
    VAR_SAMP("revenue_per_session__shifted_y0") AS "revenue_per_session__var_y0",
    COVAR_SAMP("revenue_per_session__shifted_x0", "revenue_per_session__shifted_y0") AS "revenue_per_session__cov_x0y0",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue_per_session__shifted_y0") AS "revenue_per_session__cov_xy0",
    COVAR_SAMP("revenue_per_session__shifted_y", "revenue_per_session__shifted_x0") AS "revenue_per_session__cov_yx0",
    COVAR_SAMP("revenue_per_session__shifted_y", "revenue_per_session__shifted_y0") AS "revenue_per_session__cov_yy0",
    COVAR_SAMP("revenue_per_session__shifted_x", "revenue__shifted_x0") AS "pulse_cov_1x_0x0",
    COVAR_SAMP("revenue_per_session__shifted_y", "revenue__shifted_x0") AS "pulse_cov_1y_0x0",
    COVAR_SAMP("revenue_per_session__shifted_x", "purchasing_orgs__shifted_x0") AS "pulse_cov_1x_2x0",
    COVAR_SAMP("revenue_per_session__shifted_y", "purchasing_orgs__shifted_x0") AS "pulse_cov_1y_2x0",
    COVAR_SAMP("revenue_per_session__shifted_x0", "purchasing_orgs__shifted_x0") AS "pulse_cov_1x0_2x0",
    COVAR_SAMP("revenue_per_session__shifted_y0", "purchasing_orgs__shifted_x0") AS "pulse_cov_1y0_2x0",
    AVG("purchasing_orgs__shifted_x") AS "purchasing_orgs__mean_x",
    VAR_SAMP("purchasing_orgs__shifted_x") AS "purchasing_orgs__var_x",
    MIN("purchasing_orgs__shift_x") AS "purchasing_orgs__shift_x",
    AVG("purchasing_orgs__numerator") AS "purchasing_orgs__raw_mean_x",
    AVG("purchasing_orgs__shifted_x0") AS "purchasing_orgs__mean_x0",
    VAR_SAMP("purchasing_orgs__shifted_x0") AS "purchasing_orgs__var_x0",
    COVAR_SAMP("purchasing_orgs__shifted_x", "purchasing_orgs__shifted_x0") AS "purchasing_orgs__cov_xx0",
    MIN("purchasing_orgs__shift_x0") AS "purchasing_orgs__shift_x0",
    COVAR_SAMP("purchasing_orgs__shifted_x", "revenue__shifted_x0") AS "pulse_cov_2x_0x0",
    COVAR_SAMP("purchasing_orgs__shifted_x", "revenue_per_session__shifted_x0") AS "pulse_cov_2x_1x0",
    COVAR_SAMP("purchasing_orgs__shifted_x", "revenue_per_session__shifted_y0") AS "pulse_cov_2x_1y0"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."revenue__mean_x",
  "pulse_moments"."revenue__var_x",
  "pulse_moments"."revenue__shift_x",
  "pulse_moments"."revenue__raw_mean_x",
  "pulse_moments"."revenue__mean_x0",
  "pulse_moments"."revenue__var_x0",
  "pulse_moments"."revenue__cov_xx0",
  "pulse_moments"."revenue__shift_x0",
  "pulse_moments"."pulse_cov_0x_1x0",
  "pulse_moments"."pulse_cov_0x_1y0",
  "pulse_moments"."pulse_cov_0x_2x0",
  "pulse_moments"."pulse_cov_0x0_1x0",
  "pulse_moments"."pulse_cov_0x0_1y0",
  "pulse_moments"."pulse_cov_0x0_2x0",
  "pulse_moments"."revenue_per_session__mean_x",
  "pulse_moments"."revenue_per_session__var_x",
  "pulse_moments"."revenue_per_session__mean_y",
  "pulse_moments"."revenue_per_session__var_y",
  "pulse_moments"."revenue_per_session__cov_xy",
  "pulse_moments"."revenue_per_session__shift_x",
  "pulse_moments"."revenue_per_session__raw_mean_x",
  "pulse_moments"."revenue_per_session__mean_x0",
  "pulse_moments"."revenue_per_session__var_x0",
  "pulse_moments"."revenue_per_session__cov_xx0",
  "pulse_moments"."revenue_per_session__shift_x0",
  "pulse_moments"."revenue_per_session__mean_y0",
  "pulse_moments"."revenue_per_session__var_y0",
  "pulse_moments"."revenue_per_session__cov_x0y0",
  "pulse_moments"."revenue_per_session__cov_xy0",
  "pulse_moments"."revenue_per_session__cov_yx0",
  "pulse_moments"."revenue_per_session__cov_yy0",
  "pulse_moments"."pulse_cov_1x_0x0",
  "pulse_moments"."pulse_cov_1y_0x0",
  "pulse_moments"."pulse_cov_1x_2x0",
  "pulse_moments"."pulse_cov_1y_2x0",
  "pulse_moments"."pulse_cov_1x0_2x0",
  "pulse_moments"."pulse_cov_1y0_2x0",
  "pulse_moments"."purchasing_orgs__mean_x",
  "pulse_moments"."purchasing_orgs__var_x",
  "pulse_moments"."purchasing_orgs__shift_x",
  "pulse_moments"."purchasing_orgs__raw_mean_x",
  "pulse_moments"."purchasing_orgs__mean_x0",
  "pulse_moments"."purchasing_orgs__var_x0",
  "pulse_moments"."purchasing_orgs__cov_xx0",
  "pulse_moments"."purchasing_orgs__shift_x0",
  "pulse_moments"."pulse_cov_2x_0x0",
  "pulse_moments"."pulse_cov_2x_1x0",
  "pulse_moments"."pulse_cov_2x_1y0",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
